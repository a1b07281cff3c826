//! What the rest is built with: interned names, deterministic maps, numbers as text, the seeded
//! random source, one stable sort.

pub mod name;
pub mod names;
pub mod num;
pub mod rng;
pub mod sort;
