//! Warren's web app: a pure view-model ([`diagram`], [`sim`]) under thin Yew components ([`app`]).
//! The view-model is plain Rust, tested natively (`tests/` at the top level); the components only
//! render it and turn user actions into engine commands.

#[macro_use]
pub mod json;
pub mod app;
pub mod console;
pub mod design;
pub mod diagram;
pub mod dots;
pub mod edit;
pub mod explain;
pub mod i18n;
pub mod log;
pub mod overview;
pub mod pika;
pub mod play;
pub mod runfile;
pub mod sim;
pub mod timeline;
pub mod tools;
pub mod tutorial;
