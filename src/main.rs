//! Entry point: CGI when Apache (or `affiche serve`) runs us, else the CLI.

use std::process::ExitCode;

/// The static (musl) build would otherwise use musl's allocator, several
/// times slower for rendering; see `benches/`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    if std::env::var_os("GATEWAY_INTERFACE").is_some() {
        affiche::cgi::run();
        return ExitCode::SUCCESS;
    }
    match affiche::cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}
