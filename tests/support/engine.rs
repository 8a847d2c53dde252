//! The diagnosis engine called in process, as the CLI and the GUI call it: one check of an address
//! with the given sign-in details, and the shorthands the engine-level tests build them with.

use authdoctor::engine::{CheckInput, Credentials, Diagnosis, Net, Secret, diagnose};

/// One whole check of `address`, on a runtime of its own.
pub fn check(address: &str, credentials: Credentials, net: &Net) -> Diagnosis {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("cannot start a runtime");
    runtime.block_on(diagnose(
        &CheckInput {
            address: address.to_owned(),
            credentials,
            ..CheckInput::default()
        },
        net,
    ))
}

/// A user name and password.
pub fn password(user: &str, password: &str) -> Credentials {
    Credentials {
        user: Some(user.to_owned()),
        password: Some(Secret::new(password)),
        token: None,
    }
}

/// A bearer token.
pub fn token(token: &str) -> Credentials {
    Credentials {
        token: Some(Secret::new(token)),
        ..Credentials::default()
    }
}

/// The finding codes, in the order the diagnosis lists them.
pub fn codes(diagnosis: &Diagnosis) -> Vec<&'static str> {
    diagnosis.findings.iter().map(|f| f.code.as_str()).collect()
}
