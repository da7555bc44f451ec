//! Pages the program answers itself, in the site's own layout.

use http::{Response, StatusCode};
use minijinja::context;

use crate::context::Context;
use crate::web::forms::html;

/// An answer to a browser, before the visit's cookies are added.
pub enum Answer {
    Response(Response<Vec<u8>>),
}

impl Answer {
    /// Renders a template; a broken override is a 500 with the reason in
    /// the server's log, never a half page.
    pub fn page(
        ctx: &Context,
        status: StatusCode,
        template: &str,
        title: &str,
        relative: &str,
        extra: minijinja::Value,
    ) -> Answer {
        match ctx
            .renderer
            .dynamic_page_in(&ctx.lang, template, title, relative, extra)
        {
            Ok(body) => Answer::Response(html(status, body)),
            Err(err) => {
                eprintln!("affiche: {err:#}");
                Answer::Response(crate::web::text(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &format!("{}\n", ctx.words().t("error-internal-page")),
                ))
            }
        }
    }

    pub fn into_response(self) -> Response<Vec<u8>> {
        match self {
            Answer::Response(response) => response,
        }
    }
}

/// A notice or an error in words, with where to go next.
pub fn message(
    ctx: &Context,
    status: StatusCode,
    heading: &str,
    lines: &[&str],
    link: Option<(&str, &str)>,
    error: bool,
) -> Answer {
    let (link, link_text) = link.unwrap_or(("", ""));
    Answer::page(
        ctx,
        status,
        "message.html",
        heading,
        // A message answers at many addresses and has none of its own; the
        // home page's would mark "Home" as the current page in the menu.
        "affiche.cgi",
        context! { heading, lines, link, link_text, error },
    )
}
