//! Entry point: CGI when Apache (or `affiche serve`) runs us, else the CLI.

use std::process::ExitCode;

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
