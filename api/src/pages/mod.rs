//! Pages for people, rendered on the server: presentation only, from what the use cases return.

pub mod portfolio;
