//! The governance model as the tests speak it: a running service with its people, and the steps
//! of the life cycle as methods (`scene.idea(…)`, `scene.place(…)`, `scene.vote(…)`). A test
//! builds a request by hand only where the HTTP detail is the point.

use actix_web::test::TestRequest;
use os2pm_tests::{Reply, TestApp, bearer, send};
use serde_json::{Value, json};

use crate::lifecycle::{At, Cast, TestService, cast};

/// A service with a seated board and the cast of `lifecycle::cast`.
pub(crate) struct Scenario<S> {
    pub(crate) service: S,
    pub(crate) cast: Cast,
}

/// A scenario whose board has `seats` members, the first its chair.
pub(crate) async fn scenario(app: &TestApp, seats: usize) -> Scenario<impl TestService + '_> {
    let service = app.service().await;
    let cast = cast(app, &service, seats).await;
    Scenario { service, cast }
}

impl<S: TestService> Scenario<S> {
    /// An idea of Aarhus's placed at `at` and submitted with its approval gate met: its id and
    /// its approval's.
    pub(crate) async fn awaiting_approval<'at>(&self, at: impl Into<At<'at>>) -> (String, String) {
        crate::lifecycle::awaiting_approval(&self.service, &self.cast, at).await
    }

    /// The business manager places the project at `at`.
    pub(crate) async fn place<'at>(&self, id: &str, at: impl Into<At<'at>>) -> Reply {
        crate::lifecycle::place(&self.service, &self.cast.manager, id, at).await
    }

    /// The business manager submits the project for approval.
    pub(crate) async fn submit(&self, id: &str) -> Reply {
        crate::lifecycle::submit(&self.service, &self.cast.manager, id).await
    }

    /// Aarhus, the owner, edits its idea.
    pub(crate) async fn edit(&self, id: &str, changes: Value) -> Reply {
        self.edit_as(&self.cast.aarhus, id, changes).await
    }

    /// `token` edits project `id` with its current ETag.
    pub(crate) async fn edit_as(&self, token: &str, id: &str, changes: Value) -> Reply {
        let request = TestRequest::patch()
            .uri(&format!("/api/v1/projects/{id}"))
            .insert_header(bearer(token))
            .set_json(changes);
        crate::lifecycle::change(&self.service, request, id).await
    }

    /// `token` sends project `id` back to the idea stage with its current ETag.
    pub(crate) async fn send_back(&self, token: &str, id: &str, body: Value) -> Reply {
        let request = TestRequest::post()
            .uri(&format!("/api/v1/projects/{id}/send-back"))
            .insert_header(bearer(token))
            .set_json(body);
        crate::lifecycle::change(&self.service, request, id).await
    }

    /// Board member `member` (by seat; 0 chairs) votes.
    pub(crate) async fn member_votes(
        &self,
        member: usize,
        approval: &str,
        decision: &str,
        reason: Option<&str>,
    ) -> Reply {
        self.vote(self.cast.member(member), approval, decision, reason)
            .await
    }

    /// The holder of `token` votes.
    pub(crate) async fn vote(
        &self,
        token: &str,
        approval: &str,
        decision: &str,
        reason: Option<&str>,
    ) -> Reply {
        crate::lifecycle::vote(&self.service, token, approval, decision, reason).await
    }

    /// The project as `token` sees it (anyone without one).
    pub(crate) async fn project_as(&self, id: &str, token: Option<&str>) -> Reply {
        crate::lifecycle::get(&self.service, id, token).await
    }

    /// The project as anyone sees it.
    pub(crate) async fn project(&self, id: &str) -> Value {
        self.project_as(id, None).await.body
    }

    /// One approval with its votes.
    pub(crate) async fn approval(&self, id: &str) -> Value {
        send(
            &self.service,
            TestRequest::get().uri(&format!("/api/v1/approvals/{id}")),
        )
        .await
        .body
    }

    /// The project's audit trail, oldest first.
    pub(crate) async fn history(&self, id: &str) -> Vec<Value> {
        send(
            &self.service,
            TestRequest::get().uri(&format!("/api/v1/projects/{id}/history")),
        )
        .await
        .body["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// The requirement `key` of a project view.
pub(crate) fn requirement(project: &Value, key: &str) -> Value {
    project["requirements"]
        .as_array()
        .and_then(|all| all.iter().find(|r| r["key"] == key))
        .cloned()
        .unwrap_or(json!(null))
}
