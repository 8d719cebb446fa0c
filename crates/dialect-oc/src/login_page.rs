//! The login page of `/oauth/authorize`: a plain HTML form (`username`, `password` and the CSRF
//! token, see `login_csrf`) that posts back to the same URL with the original query, so the
//! authorize parameters survive the login; in the language `login_text` chose. No script, no
//! external resource: the page's Content-Security-Policy allows nothing but its inline style.

use crate::{
    login_csrf,
    login_text::{Lang, Msg},
};

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(lang: Lang, title: &str, body: &str) -> String {
    let (lang, title) = (lang.tag(), escape(title));
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #f4f5f7; display: flex; justify-content: center; padding-top: 10vh; }}
main {{ background: #fff; padding: 2rem 2.5rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); width: 22rem; }}
h1 {{ font-size: 1.25rem; margin: 0 0 .25rem; }}
p.app {{ color: #555; margin: 0 0 1.5rem; }}
label {{ display: block; margin: .75rem 0 .25rem; font-weight: 600; }}
input[type=text], input[type=password] {{ width: 100%; box-sizing: border-box; padding: .5rem; border: 1px solid #bbb; border-radius: 4px; }}
button {{ margin-top: 1.25rem; width: 100%; padding: .6rem; border: 0; border-radius: 4px; background: #f60; color: #fff; font-weight: 600; cursor: pointer; }}
.error {{ background: #fde8e8; color: #9b1c1c; padding: .5rem .75rem; border-radius: 4px; }}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"#
    )
}

/// The login form for `app`; `query` is the authorize request's query string as received, `token`
/// the CSRF token for this render.
pub fn form(lang: Lang, app: &str, query: &str, token: &str, error: Option<&str>) -> String {
    let error = error.map(|e| format!(r#"<p class="error" role="alert">{}</p>"#, escape(e))).unwrap_or_default();
    let t = |m: Msg| escape(&m.text(lang));
    let body = format!(
        r#"<h1>{heading}</h1>
<p class="app"><strong>{app}</strong> {asks}</p>
{error}
<form method="post" action="/oauth/authorize?{query}">
<input type="hidden" name="{field}" value="{token}">
<label for="username">{username}</label>
<input type="text" id="username" name="username" autocomplete="username" maxlength="256" required autofocus>
<label for="password">{password}</label>
<input type="password" id="password" name="password" autocomplete="current-password" maxlength="1024" required>
<button type="submit">{submit}</button>
</form>"#,
        heading = t(Msg::Heading),
        app = escape(app),
        asks = t(Msg::AsksAccess),
        query = escape(query),
        field = login_csrf::FIELD,
        token = escape(token),
        username = t(Msg::UsernameLabel),
        password = t(Msg::PasswordLabel),
        submit = t(Msg::Submit),
    );
    page(lang, &Msg::Title.text(lang), &body)
}

/// An authorize request that cannot go on (unknown app, unregistered redirect URI).
pub fn error(lang: Lang, message: &str) -> String {
    page(
        lang,
        &Msg::ErrorTitle.text(lang),
        &format!("<h1>{}</h1>\n<p class=\"error\">{}</p>", escape(&Msg::ErrorHeading.text(lang)), escape(message)),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn user_text_is_escaped() {
        let html = super::form(super::Lang::En, "<script>x</script>", "a=1&b=\"2\"", "t\"k", Some("bad <b>"));
        assert!(!html.contains("<script>x"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains(r#"action="/oauth/authorize?a=1&amp;b=&quot;2&quot;""#));
        assert!(html.contains("bad &lt;b&gt;"));
        assert!(html.contains(r#"name="username""#) && html.contains(r#"name="password""#));
        assert!(html.contains(r#"name="csrf_token" value="t&quot;k""#));
    }

    #[test]
    fn the_page_speaks_simplified_chinese() {
        let html = super::form(super::Lang::Zh, "ERP", "a=1", "t", None);
        assert!(html.contains(r#"<html lang="zh-CN">"#) && html.contains("登录以授权") && html.contains("密码"));
        let html = super::error(super::Lang::Zh, "x");
        assert!(html.contains("授权错误"));
    }
}
