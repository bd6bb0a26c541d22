//! The repository README's scheme table is the registry's: every built-in provider's row, as its
//! module's `INFO` renders it. A provider added to the registry fails this test until the README
//! shows it; the failure prints the table to paste.

use hookverify::Provider;

#[test]
fn readme_scheme_table_is_rendered_from_the_registry() {
    let readme = include_str!("../../../README.md");
    let begin =
        "<!-- providers:begin (generated from the registry: Provider::markdown_table) -->\n";
    let end = "\n<!-- providers:end -->";
    let start = readme.find(begin).map(|at| at + begin.len());
    let stop = readme.find(end);
    let (Some(start), Some(stop)) = (start, stop) else {
        panic!("README.md has no `{begin}` … `{end}` markers");
    };
    let expected = Provider::markdown_table();
    assert!(
        readme.get(start..stop) == Some(expected.as_str()),
        "README.md's scheme table differs from the registry; replace it with:\n{expected}"
    );
    assert_eq!(expected.lines().count(), Provider::ALL.len() + 2);
}
