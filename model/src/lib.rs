//! Warren's view-model: what the page shows, in plain Rust. A [`design::Design`] is the canvas;
//! [`sim::Live`] runs it with clients that behave like pika's on one simulated clock; the
//! [`timeline`] says what happened when and what the counts were; [`log`] and [`explain`] put it
//! in words ([`i18n`]); [`pika`], [`runfile`] and [`tools`] write it out. The page (the Yew crate
//! at the top of the workspace) only renders this and turns user actions into typed calls; the
//! `warren` CLI uses it headless (`warren play`, `warren tutorials`, `warren pika`).

#[macro_use]
pub mod json;
pub mod compare;
pub mod console;
pub mod design;
pub mod diagram;
pub mod edit;
pub mod example;
pub mod explain;
pub mod highlight;
pub mod i18n;
pub mod label;
pub mod log;
pub mod overview;
pub mod pika;
pub mod play;
pub mod runfile;
pub mod sim;
pub mod steps;
pub mod tally;
pub mod terminals;
pub mod timeline;
pub mod tools;
pub mod tutorial;
