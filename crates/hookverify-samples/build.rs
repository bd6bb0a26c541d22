//! Lists `data/fixtures/<provider>/[older/]<event type>.json` (`/` written `%2F`, `:` `%3A`)
//! into `$OUT_DIR/fixtures.rs`, so a provider's fixtures are added by dropping files in its
//! folder: no source change here. Lists
//! `data/providers/<provider>.json` (test settings) into `$OUT_DIR/providers.rs` the same way.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs, io};

fn json_files(dir: &Path) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // `.form`: an `application/x-www-form-urlencoded` body (Twilio).
        if entry.file_type()?.is_file() && (name.ends_with(".json") || name.ends_with(".form")) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

fn main() -> io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join("fixtures");
    println!("cargo::rerun-if-changed={}", root.display());
    let mut providers: Vec<String> = fs::read_dir(&root)?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    providers.sort();
    let mut out = String::from("&[\n");
    for provider in &providers {
        for (sub, older) in [("", false), ("older", true)] {
            let dir = root.join(provider).join(sub);
            println!("cargo::rerun-if-changed={}", dir.display());
            if !dir.is_dir() {
                continue;
            }
            for name in json_files(&dir)? {
                // `/` and `:` cannot be in every file system's names: Shopify's `orders/create` is
                // `orders%2Fcreate.json`, Coinbase's `charge:created` is `charge%3Acreated.json`.
                let event_type = name
                    .trim_end_matches(".json")
                    .trim_end_matches(".form")
                    .replace("%2F", "/")
                    .replace("%3A", ":");
                let file = if older {
                    format!("{provider}/older/{name}")
                } else {
                    format!("{provider}/{name}")
                };
                let path = root.join(&file);
                writeln!(
                    out,
                    "    Sample {{ provider: {provider:?}, event_type: {event_type:?}, older_shape: {older}, file: {file:?}, body: include_str!({path:?}) }},",
                    path = path.display().to_string()
                )
                .map_err(io::Error::other)?;
            }
        }
    }
    out.push(']');
    let out_dir = env::var("OUT_DIR").map_err(io::Error::other)?;
    fs::write(Path::new(&out_dir).join("fixtures.rs"), out)?;

    let settings = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join("providers");
    println!("cargo::rerun-if-changed={}", settings.display());
    let mut table = String::from("&[\n");
    for name in json_files(&settings)? {
        let path = settings.join(&name);
        writeln!(
            table,
            "    ({:?}, include_str!({:?})),",
            name.trim_end_matches(".json"),
            path.display().to_string()
        )
        .map_err(io::Error::other)?;
    }
    table.push(']');
    fs::write(Path::new(&out_dir).join("providers.rs"), table)
}
