//! End-to-end scenarios over HTTP against a real database (SQLite by default, PostgreSQL with
//! `OS2PM_TEST_DATABASE_URL`). One binary, one module per resource.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod abuse;
mod auth;
mod catalogues;
mod contract;
mod evaluations;
mod events;
mod faults;
mod health;
mod lifecycle;
mod meetings;
mod newcomer;
mod organizations;
mod page;
mod privacy;
mod products;
mod requirements;
mod running;
mod scenario;
mod self_assessments;
mod storage;
mod views;
mod webhooks;
