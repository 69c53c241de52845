//! Project views as built, kept for as long as the database says they are current.
//!
//! A project's view is built from one query of many parts (the project and every row it shows)
//! and is the same for every caller but for `_actions`; kept, it is not even serialised again.
//! Each entry is filed under the [`ViewStamp`] read in the same statement as its rows and the
//! day (board seats run by date); a reader of a project with an entry reads the stamp again (one
//! indexed query) and uses the entry only when both match; without one, the view is built at
//! once. The stamp is kept by database triggers in the writer's
//! transaction, so every instance over the same database sees a change at its commit, and
//! nothing has to be told to forget.

use std::sync::{Arc, OnceLock};

use actix_web::web::Bytes;
use chrono::NaiveDate;
use os2pm_persistence::projects::ViewStamp;
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

/// A built view: its JSON for each audience (`_actions` empty) and what decides a caller's
/// `_actions`.
pub(crate) struct CachedProject {
    pub(crate) key: ViewKey,
    /// As built: what the business manager and the board read.
    full: Bytes,
    /// What anyone may read.
    public: Bytes,
    /// What the association reads, made when first asked for.
    association: OnceLock<Bytes>,
    pub(crate) actions: ActionInputs,
}

impl CachedProject {
    pub(crate) fn new(
        key: ViewKey,
        view: &ProjectView,
        actions: ActionInputs,
    ) -> Result<Self, serde_json::Error> {
        Ok(Self {
            key,
            full: serde_json::to_vec(view)?.into(),
            public: serde_json::to_vec(&Audience::Public.redacted(view))?.into(),
            association: OnceLock::new(),
            actions,
        })
    }

    /// The view's JSON as `audience` may read it.
    pub(crate) fn body(&self, audience: Audience) -> Result<Bytes, serde_json::Error> {
        Ok(match audience {
            Audience::Public => self.public.clone(),
            Audience::Governance => self.full.clone(),
            Audience::Association => match self.association.get() {
                Some(body) => body.clone(),
                None => {
                    let mut value: serde_json::Value = serde_json::from_slice(&self.full)?;
                    Audience::Association.redact(&mut value);
                    let body: Bytes = serde_json::to_vec(&value)?.into();
                    self.association.get_or_init(|| body).clone()
                }
            },
        })
    }
}

/// Weighs an entry by its body, which is most of its memory.
#[derive(Clone)]
struct BodySize;

impl Weighter<String, Arc<CachedProject>> for BodySize {
    fn weight(&self, id: &String, entry: &Arc<CachedProject>) -> u64 {
        // A fixed allowance for the key, the action inputs and the bookkeeping; the
        // association's body, made later, about the size of the full one.
        u64::try_from(id.len() + 2 * entry.full.len() + entry.public.len() + 1024)
            .unwrap_or(u64::MAX)
    }
}

/// Built project views by project id, the least used dropped beyond a memory budget.
pub struct ProjectViews {
    cache: Cache<String, Arc<CachedProject>, BodySize>,
    /// The budget is not 0.
    keeps: bool,
}

/// What an entry weighs on average, to size the cache's tables.
const TYPICAL_ENTRY_BYTES: u64 = 8 * 1024;

impl ProjectViews {
    /// A cache holding up to `budget_bytes` of views; 0 keeps none.
    pub fn new(budget_bytes: u64) -> Self {
        let items = usize::try_from(budget_bytes / TYPICAL_ENTRY_BYTES)
            .unwrap_or(usize::MAX)
            .max(1);
        Self {
            cache: Cache::with_weighter(items, budget_bytes, BodySize),
            keeps: budget_bytes > 0,
        }
    }

    /// The view of `id` when it was built under `key`.
    pub(crate) fn get(&self, id: &str, key: &ViewKey) -> Option<Arc<CachedProject>> {
        self.cache.get(id).filter(|entry| entry.key == *key)
    }

    /// Whether views are kept at all (`OS2PM_VIEW_CACHE_MB` is not 0).
    pub(crate) fn keeps(&self) -> bool {
        self.keeps
    }

    /// Whether a view of `id` is kept, current or not.
    pub(crate) fn holds(&self, id: &str) -> bool {
        self.cache.contains_key(id)
    }

    pub(crate) fn insert(&self, id: &str, entry: Arc<CachedProject>) {
        self.cache.insert(id.to_owned(), entry);
    }
}
