//! The lab's answers are built one way: a status, headers and a text body. Its own file, so the
//! scenarios and today's services both use it without importing each other.

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};

/// An answer with these headers (repeatable) and body.
pub(super) fn reply(status: StatusCode, headers: &[(&str, &str)], body: &str) -> Response<Body> {
    let mut response = Response::new(Body::from(body.to_owned()));
    *response.status_mut() = status;
    for (name, value) in headers {
        if let (Ok(n), Ok(v)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(n, v);
        }
    }
    response
}
