//! Groups and the organisations that hold their seats.
//!
//! Representation follows the organisation, not the person (KDI model): seats in steering and
//! coordination groups belong to organisations. This crate holds what an organisation is and
//! the rules its identifiers obey.

pub mod board;
pub mod coordination;
pub mod organizations;
pub mod steering;
