//! The man pages (`clap_mangen`) and shell completions (`clap_complete`) that the packages ship,
//! generated from the real command line so they never drift from it: `scripts/package-deb.sh`
//! runs the hidden `authdoctor generate-docs DIR`, which main.rs adds to [`Cli`]'s command for
//! this alone, so the pages and completions describe the public command line only.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::CommandFactory as _;
use clap_complete::Shell;

use super::Cli;

/// The hidden subcommand that writes these files.
pub const GENERATE_DOCS: &str = "generate-docs";

/// The public command line plus the hidden `generate-docs DIR` that packaging runs.
#[must_use]
pub fn command_with_generator() -> clap::Command {
    Cli::command().subcommand(
        clap::Command::new(GENERATE_DOCS)
            .hide(true)
            .about("Write the man pages and shell completions into a folder (for packages)")
            .arg(
                clap::Arg::new("out")
                    .value_name("DIR")
                    .required(true)
                    .value_parser(clap::value_parser!(PathBuf)),
            ),
    )
}

/// The shells whose completions the packages install.
pub const SHELLS: [Shell; 4] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell];

/// Writes `out/man/authdoctor.1` (and one page per visible subcommand, `authdoctor-check.1`, …)
/// and `out/completions/` (one file per shell in [`SHELLS`]). Returns the files written.
pub fn generate(out: &Path) -> Result<Vec<PathBuf>> {
    let man = out.join("man");
    let completions = out.join("completions");
    for dir in [&man, &completions] {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
    }
    clap_mangen::generate_to(Cli::command(), &man)
        .with_context(|| format!("could not write the man pages into {}", man.display()))?;
    let mut written = Vec::new();
    for entry in
        std::fs::read_dir(&man).with_context(|| format!("could not list {}", man.display()))?
    {
        written.push(entry?.path());
    }
    let mut command = Cli::command();
    for shell in SHELLS {
        let path = clap_complete::generate_to(shell, &mut command, "authdoctor", &completions)
            .with_context(|| {
                format!(
                    "could not write the {shell} completions into {}",
                    completions.display()
                )
            })?;
        written.push(path);
    }
    written.sort();
    Ok(written)
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn man_pages_cover_the_program_and_every_subcommand() {
        let dir = tempfile::tempdir().unwrap();
        let written = generate(dir.path()).unwrap();
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name()?.to_str().map(str::to_owned))
            .collect();
        for page in [
            "authdoctor.1",
            "authdoctor-check.1",
            "authdoctor-gui.1",
            "authdoctor-har.1",
        ] {
            assert!(
                names.iter().any(|n| n == page),
                "{page} missing from {names:?}"
            );
        }
        let main_page = std::fs::read_to_string(dir.path().join("man/authdoctor.1")).unwrap();
        assert!(main_page.starts_with(".ie") || main_page.contains(".TH authdoctor"));
        assert!(main_page.contains("FILE"));
    }

    #[test]
    fn completions_name_the_subcommands_and_their_flags() {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path()).unwrap();
        let bash = std::fs::read_to_string(dir.path().join("completions/authdoctor.bash")).unwrap();
        assert!(bash.contains("explain-header"));
        assert!(bash.contains("--password-stdin"));
        let zsh = std::fs::read_to_string(dir.path().join("completions/_authdoctor")).unwrap();
        assert!(zsh.contains("#compdef authdoctor"));
        let fish = std::fs::read_to_string(dir.path().join("completions/authdoctor.fish")).unwrap();
        assert!(fish.contains("dns-flush"));
    }
}
