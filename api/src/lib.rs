//! The os2pm HTTP service: actix-web handlers over the domain crates and `persistence`.

pub mod app;
pub mod auth;
pub mod config;
pub mod error;
pub mod handlers;
pub mod headers;
pub mod names;
pub mod openapi_doc;
pub mod pages;
pub mod rate_limit;
pub mod request;
pub mod server;
pub mod usecases;
pub mod view_cache;
pub mod webhook_targets;
pub mod webhooks;
