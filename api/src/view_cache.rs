//! Project views as built, kept for as long as the database says they are current.
//!
//! A project's view is built from one query of many parts (the project and every row it shows)
//! and is the same for every caller but for `_actions`; kept, each audience's JSON is written
//! once, when that audience first reads it (a miss writes only the reader's). Each entry is filed under the [`ViewStamp`] read in the same statement as its rows and the
//! day (board seats run by date); a reader of a project with an entry reads the stamp again (one
//! indexed query) and uses the entry only when both match; without one, the view is built at
//! once. The stamp is kept by database triggers in the writer's
//! transaction, so every instance over the same database sees a change at its commit, and
//! nothing has to be told to forget.

use std::sync::{Arc, OnceLock};

use actix_web::web::Bytes;
use chrono::NaiveDate;
use os2pm_persistence::projects::ViewStamp;
use os2pm_projects::ProjectId;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

use crate::usecases::privacy::Audience;
use crate::usecases::projects::ActionInputs;
use crate::usecases::projects::view::ProjectView;

/// What a built view was current for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ViewKey {
    pub(crate) stamp: ViewStamp,
    pub(crate) day: NaiveDate,
}

impl ViewKey {
    /// The strong ETag of the project's representation: the version first, as `If-Match`
    /// reads it, then what else the representation depends on.
    pub(crate) fn etag(&self) -> actix_web::http::header::EntityTag {
        let ViewStamp {
            version,
            revision,
            shared,
        } = self.stamp;
        actix_web::http::header::EntityTag::new_strong(format!(
            "{version}.{revision}.{shared}.{}",
            self.day.format("%Y%m%d")
        ))
    }
}

/// A built view, with its JSON for each audience (`_actions` empty) written when first read,
/// and what decides a caller's `_actions`.
pub(crate) struct CachedProject {
    pub(crate) key: ViewKey,
    view: ProjectView,
    /// The JSON the public, the association and the governance audience read, in that order.
    bodies: [OnceLock<Bytes>; 3],
    /// The size of the first JSON written, which the cache weighs the entry by.
    size: usize,
    pub(crate) actions: ActionInputs,
}

impl CachedProject {
    /// A view just built, and its JSON as `reader` may read it: the only one written now.
    pub(crate) fn new(
        key: ViewKey,
        view: ProjectView,
        actions: ActionInputs,
        reader: Audience,
    ) -> Result<(Self, Bytes), serde_json::Error> {
        let body = json(&reader.redacted(&view), TYPICAL_VIEW_BYTES)?;
        let entry = Self {
            key,
            view,
            bodies: Default::default(),
            size: body.len(),
            actions,
        };
        entry.bodies[slot(reader)].get_or_init(|| body.clone());
        Ok((entry, body))
    }

    /// The view's JSON as `audience` may read it.
    pub(crate) fn body(&self, audience: Audience) -> Result<Bytes, serde_json::Error> {
        let slot = &self.bodies[slot(audience)];
        if let Some(body) = slot.get() {
            return Ok(body.clone());
        }
        let body = json(&audience.redacted(&self.view), self.size)?;
        Ok(slot.get_or_init(|| body).clone())
    }
}

/// What a project view's JSON usually weighs: its buffer starts that large rather than growing
/// to it in steps.
const TYPICAL_VIEW_BYTES: usize = 8 * 1024;

/// `view` as JSON, written into a buffer of `capacity` bytes to start with.
fn json(view: &impl serde::Serialize, capacity: usize) -> Result<Bytes, serde_json::Error> {
    let mut body = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut body, view)?;
    Ok(body.into())
}

/// Where an audience's JSON is kept in [`CachedProject::bodies`].
fn slot(audience: Audience) -> usize {
    match audience {
        Audience::Public => 0,
        Audience::Association => 1,
        Audience::Governance => 2,
    }
}

/// Weighs an entry by its body, which is most of its memory.
#[derive(Clone)]
struct BodySize;

impl Weighter<ProjectId, Arc<CachedProject>> for BodySize {
    fn weight(&self, id: &ProjectId, entry: &Arc<CachedProject>) -> u64 {
        // A fixed allowance for the key, the action inputs and the bookkeeping; the view
        // about the size of its JSON, and up to three bodies of about that size.
        u64::try_from(id.as_str().len() + 4 * entry.size + 1024).unwrap_or(u64::MAX)
    }
}

/// Built project views by project id, the least used dropped beyond a memory budget.
pub struct ProjectViews(Cache<ProjectId, Arc<CachedProject>, BodySize>);

/// What an entry weighs on average, to size the cache's tables.
const TYPICAL_ENTRY_BYTES: u64 = 8 * 1024;

impl ProjectViews {
    /// A cache holding up to `budget_bytes` of views; 0 keeps none.
    pub fn new(budget_bytes: u64) -> Self {
        let items = usize::try_from(budget_bytes / TYPICAL_ENTRY_BYTES)
            .unwrap_or(usize::MAX)
            .max(1);
        Self(Cache::with_weighter(items, budget_bytes, BodySize))
    }

    /// The view of `id` when it was built under `key`.
    pub(crate) fn get(&self, id: &ProjectId, key: &ViewKey) -> Option<Arc<CachedProject>> {
        self.0.get(id).filter(|entry| entry.key == *key)
    }

    /// Whether a view of `id` is kept, current or not.
    pub(crate) fn holds(&self, id: &ProjectId) -> bool {
        self.0.contains_key(id)
    }

    pub(crate) fn insert(&self, id: &ProjectId, entry: Arc<CachedProject>) {
        self.0.insert(id.clone(), entry);
    }
}
