//! The login page of `/oauth/authorize`: a plain HTML form (`username`, `password`) that posts
//! back to the same URL with the original query, so the authorize parameters survive the login.

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

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
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

/// The login form for `app`; `query` is the authorize request's query string as received.
pub fn form(app: &str, query: &str, error: Option<&str>) -> String {
    let error = error.map(|e| format!(r#"<p class="error" role="alert">{}</p>"#, escape(e))).unwrap_or_default();
    let body = format!(
        r#"<h1>Sign in to authorize</h1>
<p class="app"><strong>{app}</strong> asks to access your Entrepot fulfilment account.</p>
{error}
<form method="post" action="/oauth/authorize?{query}">
<label for="username">Email, phone or account id</label>
<input type="text" id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in and authorize</button>
</form>"#,
        app = escape(app),
        query = escape(query),
    );
    page("Authorize — Entrepot", &body)
}

/// An authorize request that cannot go on (unknown app, unregistered redirect URI).
pub fn error(message: &str) -> String {
    page(
        "Authorization error — Entrepot",
        &format!("<h1>Authorization error</h1>\n<p class=\"error\">{}</p>", escape(message)),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn user_text_is_escaped() {
        let html = super::form("<script>x</script>", "a=1&b=\"2\"", Some("bad <b>"));
        assert!(!html.contains("<script>x"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains(r#"action="/oauth/authorize?a=1&amp;b=&quot;2&quot;""#));
        assert!(html.contains("bad &lt;b&gt;"));
        assert!(html.contains(r#"name="username""#) && html.contains(r#"name="password""#));
    }
}
