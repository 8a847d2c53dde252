//! Writes the man pages and shell completions of `authdoctor` into a folder, for the packages:
//! `cargo run --example generate_docs -- DIR` (run by `scripts/package-deb.sh`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1) else {
        eprintln!("usage: generate_docs DIR (writes DIR/man/*.1 and DIR/completions/*)");
        return ExitCode::from(2);
    };
    match authdoctor::cli::docs::generate(out.as_ref()) {
        Ok(written) => {
            for path in written {
                println!("{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate_docs: {e:#}");
            ExitCode::FAILURE
        }
    }
}
