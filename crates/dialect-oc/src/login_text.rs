//! The login page's words in English and Simplified Chinese (the sellers who authorise ERPs are
//! mostly Chinese companies), chosen by the browser's `Accept-Language`. A dozen strings do not
//! need a translation framework: one typed table, so a message without both languages does not
//! compile.

use entrepot_core::oauth::AuthorizeRefusal;

/// A language the page speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    /// Simplified Chinese, for every `zh` variant.
    Zh,
}

impl Lang {
    /// The best language for an `Accept-Language` header (RFC 9110 §12.5.4): the highest
    /// q-value among ours, the first on a tie; English when nothing matches.
    pub fn negotiate(accept_language: Option<&str>) -> Lang {
        let mut best = (Lang::En, 0.0_f32);
        for item in accept_language.unwrap_or_default().split(',').take(32) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                .map(|v| v.trim().parse::<f32>().ok().filter(|q| q.is_finite()).unwrap_or(0.0))
                .unwrap_or(1.0);
            let lang = match tag.as_str() {
                "zh" => Lang::Zh,
                t if t.starts_with("zh-") => Lang::Zh,
                "en" | "*" => Lang::En,
                t if t.starts_with("en-") => Lang::En,
                _ => continue,
            };
            if q > best.1 {
                best = (lang, q);
            }
        }
        best.0
    }

    /// The `lang` attribute and `Content-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
}

/// Every text the login and error pages show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    Title,
    Heading,
    /// Follows the app's name.
    AsksAccess,
    UsernameLabel,
    PasswordLabel,
    Submit,
    ErrorTitle,
    ErrorHeading,
    MissingCredentials,
    WrongCredentials,
    Internal,
    FormExpired,
    /// Too many failures: wait this many seconds.
    SlowDown(u64),
    /// Locked for this many more minutes.
    Locked(u64),
    Refused(AuthorizeRefusal),
    UnsupportedResponseType,
    ResponseTypeRequired,
    ClientIdRequired,
    UnknownClient,
    RedirectNotRegistered,
    TooLong,
}

impl Msg {
    pub fn text(self, lang: Lang) -> String {
        use AuthorizeRefusal as R;
        let (en, zh): (&str, &str) = match self {
            Msg::Title => ("Authorize — Entrepot", "授权 — Entrepot"),
            Msg::Heading => ("Sign in to authorize", "登录以授权"),
            Msg::AsksAccess => {
                ("asks to access your Entrepot fulfilment account.", "请求访问您的 Entrepot 海外仓账户。")
            }
            Msg::UsernameLabel => ("Email, phone or account id", "邮箱、手机号或账号 ID"),
            Msg::PasswordLabel => ("Password", "密码"),
            Msg::Submit => ("Sign in and authorize", "登录并授权"),
            Msg::ErrorTitle => ("Authorization error — Entrepot", "授权错误 — Entrepot"),
            Msg::ErrorHeading => ("Authorization error", "授权错误"),
            Msg::MissingCredentials => ("Please enter your username and password.", "请输入用户名和密码。"),
            Msg::WrongCredentials => ("Incorrect username or password.", "用户名或密码错误。"),
            Msg::Internal => ("Internal error, please try again later.", "内部错误，请稍后重试。"),
            Msg::FormExpired => (
                "This sign-in form has expired or was not opened in this browser. Please sign in again.",
                "登录表单已过期或并非在此浏览器中打开，请重新登录。",
            ),
            Msg::SlowDown(s) => {
                return match lang {
                    Lang::En => format!("Too many failed sign-ins. Please try again in {s} s."),
                    Lang::Zh => format!("登录失败次数过多，请在 {s} 秒后重试。"),
                }
            }
            Msg::Locked(m) => {
                return match lang {
                    Lang::En => format!("Too many failed sign-ins: sign-in is locked. Please try again in {m} min."),
                    Lang::Zh => format!("登录失败次数过多，登录已被暂时锁定，请在 {m} 分钟后重试。"),
                }
            }
            Msg::Refused(R::AppRevoked) => {
                ("This application's access has been revoked.", "此应用的访问权限已被撤销。")
            }
            Msg::Refused(R::NotASeller) => (
                "This account is not a seller account and cannot authorize an ERP.",
                "此账号不是卖家账号，无法授权 ERP。",
            ),
            Msg::Refused(R::OtherSeller) => {
                ("This ERP application is registered to another seller.", "此 ERP 应用已注册给其他卖家。")
            }
            Msg::UnsupportedResponseType => {
                ("Unsupported response_type: only 'code' is supported.", "不支持的 response_type：仅支持 'code'。")
            }
            Msg::ResponseTypeRequired => ("response_type=code is required.", "缺少 response_type=code。"),
            Msg::ClientIdRequired => ("client_id is required.", "缺少 client_id。"),
            Msg::UnknownClient => ("Unknown client_id.", "未知的 client_id。"),
            Msg::RedirectNotRegistered => {
                ("redirect_uri is not registered for this application.", "redirect_uri 未在此应用中注册。")
            }
            Msg::TooLong => ("The authorization request is too long.", "授权请求过长。"),
        };
        match lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
        .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::{Lang, Msg};

    #[test]
    fn accept_language_picks_by_q_value_and_zh_variants_are_simplified_chinese() {
        for (header, lang) in [
            (None, Lang::En),
            (Some(""), Lang::En),
            (Some("zh-CN,zh;q=0.9,en;q=0.8"), Lang::Zh),
            (Some("zh"), Lang::Zh),
            (Some("zh-TW"), Lang::Zh),
            (Some("zh-Hans-CN"), Lang::Zh),
            (Some("ZH-cn"), Lang::Zh),
            (Some("en-US,en;q=0.9,zh-CN;q=0.8"), Lang::En),
            (Some("en;q=0.5, zh;q=0.8"), Lang::Zh),
            (Some("fr-FR,fr;q=0.9,zh;q=0.5,en;q=0.4"), Lang::Zh),
            (Some("fr-FR"), Lang::En),
            (Some("zh;q=0, en;q=0.1"), Lang::En),
            (Some("zh;q=abc"), Lang::En),
            (Some("zh;q=NaN"), Lang::En),
            (Some("*;q=0.5, zh;q=0.4"), Lang::En),
            (Some("en, zh"), Lang::En),
            (Some("zh, en"), Lang::Zh),
            (Some(";;;,,,=q"), Lang::En),
        ] {
            assert_eq!(Lang::negotiate(header), lang, "{header:?}");
        }
        assert_eq!(Lang::Zh.tag(), "zh-CN");
    }

    #[test]
    fn every_message_has_both_languages() {
        assert_eq!(Msg::WrongCredentials.text(Lang::Zh), "用户名或密码错误。");
        assert!(Msg::SlowDown(3).text(Lang::En).contains("3 s"));
        assert!(Msg::Locked(15).text(Lang::Zh).contains("15 分钟"));
    }
}
