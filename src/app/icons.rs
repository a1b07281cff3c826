//! The page's icons: inline SVG, one path each on a 16-unit grid, drawn with the text's colour
//! (no icon font, nothing downloaded). A node kind's icon is its shape on the canvas.

use super::*;

/// What an icon shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Icon {
    Kind(Kind),
    Play,
    Pause,
    Present,
    Undo,
    Redo,
    Delete,
    Tidy,
    Fit,
    New,
    Save,
    Load,
    Definitions,
    Share,
    Python,
    Overview,
    Console,
    Users,
}

impl Icon {
    /// Its path (stroked, round caps and joins: see `.icon` in the style sheet).
    pub(super) fn path(self) -> &'static str {
        match self {
            // the shapes the canvas draws: a pill, a diamond, a row of cells, a circle
            Icon::Kind(Kind::Producer) => "M5 4h6a4 4 0 0 1 0 8H5a4 4 0 0 1 0-8z",
            Icon::Kind(Kind::Exchange) => "M8 2l6.5 6L8 14 1.5 8z",
            Icon::Kind(Kind::Queue) => "M1 4h14v8H1zM5.7 4v8M10.3 4v8",
            Icon::Kind(Kind::Consumer) => "M8 2a6 6 0 1 1 0 12A6 6 0 0 1 8 2z",
            Icon::Play => "M4 2.5l9.5 5.5L4 13.5z",
            Icon::Pause => "M5 3v10M11 3v10",
            Icon::Present => "M1.5 2.5h13v8.5h-13zM8 11v3M5 14h6",
            Icon::Undo => "M5.5 3L2 6.5 5.5 10M2 6.5h8a4 4 0 0 1 0 8H7",
            Icon::Redo => "M10.5 3L14 6.5 10.5 10M14 6.5H6a4 4 0 0 0 0 8h3",
            Icon::Delete => "M2.5 4h11M6 4V2h4v2M4 4l1 10h6l1-10",
            Icon::Tidy => "M2 2h4v4H2zM10 2h4v4h-4zM2 10h4v4H2zM10 10h4v4h-4z",
            Icon::Fit => "M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4",
            Icon::New => "M3 1.5h6.5l3.5 3.5v9.5H3zM9.5 1.5V5H13",
            Icon::Save => "M8 2v8.5M4.5 7L8 10.5 11.5 7M2 14h12",
            Icon::Load => "M8 14V5.5M4.5 9L8 5.5 11.5 9M2 2h12",
            Icon::Definitions => "M6 2C4 2 4 3 4 5S3 8 2 8c1 0 2 1 2 3s0 3 2 3M10 2c2 0 2 1 2 3s1 3 2 3c-1 0-2 1-2 3s0 3-2 3",
            Icon::Share => "M12 1.5a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM4 6a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM12 10.5a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM5.8 7.1l4.4-2.2M5.8 8.9l4.4 2.2",
            Icon::Python => "M5 4L1 8l4 4M11 4l4 4-4 4M9.5 2.5l-3 11",
            Icon::Overview => "M2 14V8.5M6 14V4M10 14V6.5M14 14V2",
            Icon::Console => "M1.5 2.5h13v11h-13zM4 6l2.5 2L4 10M8 10.5h4",
            Icon::Users => "M6 2.5a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5zM1.5 14c0-3 2-4.5 4.5-4.5s4.5 1.5 4.5 4.5M11 3a2.3 2.3 0 0 1 0 4.5M12.5 9.7c1.3.5 2 1.8 2 4.3",
        }
    }
}

/// An icon before a control's text (hidden from screen readers: the control's name says it).
pub(super) fn icon(i: Icon) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d={i.path()} /></svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_is_a_path_inside_its_grid() {
        let all = [
            Icon::Kind(Kind::Producer),
            Icon::Kind(Kind::Exchange),
            Icon::Kind(Kind::Queue),
            Icon::Kind(Kind::Consumer),
            Icon::Play,
            Icon::Pause,
            Icon::Present,
            Icon::Undo,
            Icon::Redo,
            Icon::Delete,
            Icon::Tidy,
            Icon::Fit,
            Icon::New,
            Icon::Save,
            Icon::Load,
            Icon::Definitions,
            Icon::Share,
            Icon::Python,
            Icon::Overview,
            Icon::Console,
            Icon::Users,
        ];
        for (n, i) in all.iter().enumerate() {
            let d = i.path();
            assert!(d.starts_with('M'), "{i:?} starts with a move");
            // absolute coordinates (after M, L, H, V, C, S) stay on the grid
            let mut abs = false;
            let mut num = String::new();
            for c in d.chars().chain([' ']) {
                if c.is_ascii_digit() || c == '.' || (c == '-' && num.is_empty()) {
                    num.push(c);
                    continue;
                }
                if abs && !num.is_empty() {
                    let v: f32 = num.parse().unwrap_or_else(|_| panic!("{i:?}: number {num}"));
                    assert!((0.0..=16.0).contains(&v), "{i:?}: {v} off the grid");
                }
                if c == '-' {
                    num = "-".into();
                    continue;
                }
                num.clear();
                if c.is_ascii_alphabetic() {
                    abs = "MLHVCS".contains(c);
                }
            }
            for j in &all[n + 1..] {
                assert_ne!(d, j.path(), "{i:?} and {j:?} look alike");
            }
        }
    }
}
