//! Handlers by resource. Each one authenticates, parses and validates, asks the domain, and
//! stores the result with its audit entry in one transaction.

pub mod health;
pub mod me;
pub mod organizations;
pub mod requirements;

use actix_web::web;

/// The route table. Resources (not bare routes) so a wrong method answers 405, not 404.
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .service(web::resource("/health/live").route(web::get().to(health::live)))
        .service(web::resource("/health/ready").route(web::get().to(health::ready)))
        .service(
            web::scope("/api/v1")
                .service(
                    web::resource("/organizations")
                        .route(web::get().to(organizations::list))
                        .route(web::post().to(organizations::create)),
                )
                .service(
                    web::resource("/organizations/{id}").route(web::get().to(organizations::get)),
                )
                .service(web::resource("/requirements").route(web::get().to(requirements::list)))
                .service(web::resource("/me").route(web::get().to(me::get))),
        );
}
