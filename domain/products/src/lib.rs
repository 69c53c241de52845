//! Products, level changes and change-request routing (DOMAIN.md §2, §5).
//!
//! Filled in by the "from approval to product" issue; the crate exists so the layering is in
//! place from the start.
