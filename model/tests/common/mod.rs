//! What the view-model's test files share.
use warren_model::design::Design;

/// A node's id by its name (a test names what it means).
pub fn id_of(d: &Design, name: &str) -> u32 {
    d.nodes
        .iter()
        .find(|n| n.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .id
}
