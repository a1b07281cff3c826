//! The page's own words: every interface string its components look up has a Chinese translation.
use warren_model::i18n::translated;

/// Every interface string the page looks up (`tr(l, "…")` in src/app/) has a Chinese
/// translation: a new English label without one fails here.
#[test]
fn every_interface_string_of_the_page_is_translated() {
    // every component of the page (src/app/*.rs), as one text
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/app");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() > 10, "{files:?}");
    let src: String = files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    let mut found = 0;
    let mut missing = Vec::new();
    for (i, _) in src.match_indices("tr(") {
        if src[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.') {
            continue; // `as_str(`, `x.tr(`: not the lookup
        }
        // `tr(` then an identifier (`l`, `lang`, `self.lang`), a comma, and a string literal
        let rest = src[i + 3..].trim_start();
        let ident = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(0);
        let Some(lit) = rest[ident..].trim_start().strip_prefix(',') else {
            continue;
        };
        let Some(lit) = lit.trim_start().strip_prefix('"') else {
            continue;
        };
        if ident == 0 {
            continue;
        }
        let end = lit.find('"').unwrap();
        found += 1;
        if !translated(&lit[..end]) {
            missing.push(lit[..end].to_string());
        }
    }
    assert!(
        found > 60,
        "only {found} looked-up strings found: has the page stopped using tr?"
    );
    assert!(missing.is_empty(), "no Chinese for: {missing:?}");
    // looked up by value: the kinds' names head the inspector
    use warren_model::design::Kind;
    for k in [Kind::Producer, Kind::Exchange, Kind::Queue, Kind::Consumer] {
        assert!(translated(k.name()), "{}", k.name());
    }
}
