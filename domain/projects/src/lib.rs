//! The initiative life cycle: ideas, placement, approval routing and decisions (DOMAIN.md §2, §7).
//!
//! Filled in by the life-cycle issue; the crate exists so the layering is in place from the start.
