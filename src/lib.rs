//! Warren's web page: thin Yew components ([`app`]) over the view-model crate
//! ([`warren_model`]: plain Rust, tested natively). The components only render the view-model and
//! turn user actions into its typed calls; [`dots`] colours the messages in flight.

pub mod app;
pub mod dots;
