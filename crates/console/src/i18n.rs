//! Every word the console shows, in Simplified Chinese and English (Project Fluent files under
//! `locales/`, CLDR plural rules). A person's language is the one they chose (a cookie set by
//! the switch in the page header), else the first of their browser's languages that we speak,
//! else English.

use std::sync::LazyLock;

use axum::http::{header, HeaderMap};
use fluent_bundle::{concurrent::FluentBundle, FluentArgs, FluentResource, FluentValue};

/// The cookie holding a chosen language.
pub const LANG_COOKIE: &str = "entrepot_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The BCP 47 tag, for `<html lang>` and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The language's own name, for the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }

    /// Reads a tag loosely: `zh`, `zh-CN`, `zh-Hans-CN` are Chinese; `en-GB` is English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The chosen language (cookie), else the browser's best that we speak, else English.
    pub fn of_request(headers: &HeaderMap) -> Lang {
        let chosen = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, _)| *k == LANG_COOKIE)
            .and_then(|(_, v)| Lang::from_tag(v));
        chosen
            .or_else(|| headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Self::accepted))
            .unwrap_or(Lang::En)
    }

    /// The best language of an `Accept-Language` value that we speak (by `q`, then order).
    fn accepted(value: &str) -> Option<Lang> {
        let mut best: Option<(u16, Lang)> = None;
        for part in value.split(',').take(32) {
            let mut it = part.split(';');
            let Some(lang) = it.next().and_then(Lang::from_tag) else { continue };
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                .unwrap_or(1000);
            if q > 0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en.ftl"),
            Lang::Zh => include_str!("../locales/zh-CN.ftl"),
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Vec<(Lang, Bundle)>> = LazyLock::new(|| {
    Lang::ALL
        .iter()
        .map(|&lang| {
            let id = lang.tag().parse().unwrap_or_default();
            let mut bundle = Bundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around arguments: they show as boxes in some fonts.
            bundle.set_use_isolating(false);
            let resource = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(r, errors)| {
                tracing::error!(lang = lang.tag(), ?errors, "console translations have errors");
                r
            });
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(lang = lang.tag(), ?errors, "console translations clash");
            }
            (lang, bundle)
        })
        .collect()
});

/// The key naming a core state (see [`Tr::state`]).
fn state_key(prefix: &str, stored: &str) -> String {
    format!("{prefix}-{}", stored.to_ascii_lowercase().replace('_', "-"))
}

/// The translator a page renders with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn lang(&self) -> Lang {
        self.0
    }

    /// The message `key` (its key itself when missing: the parity test keeps that from shipping).
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The name of a core state: the message `prefix-state`, the state's stored name in lower
    /// case with dashes (`status-wait-picking`).
    pub fn state(&self, prefix: &str, stored: &str) -> String {
        self.t(&state_key(prefix, stored))
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl Into<FluentValue<'static>>) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), value.into());
        self.format(key, Some(&args))
    }

    /// The message `key` with two arguments.
    pub fn t2(
        &self,
        key: &str,
        a: (&str, impl Into<FluentValue<'static>>),
        b: (&str, impl Into<FluentValue<'static>>),
    ) -> String {
        let mut args = FluentArgs::new();
        args.set(a.0.to_owned(), a.1.into());
        args.set(b.0.to_owned(), b.1.into());
        self.format(key, Some(&args))
    }

    /// The message `key` with whole-number arguments.
    pub fn tn(&self, key: &str, args: &[(&str, i64)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set((*k).to_owned(), FluentValue::from(*v));
        }
        self.format(key, Some(&a))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let Some((_, bundle)) = BUNDLES.iter().find(|(l, _)| *l == self.0) else { return key.to_owned() };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = self.0.tag(), "console message missing");
            return key.to_owned();
        };
        let mut errors = vec![];
        let text = bundle.format_pattern(pattern, args, &mut errors).into_owned();
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "console message formatted with errors");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(src: &str) -> BTreeSet<String> {
        src.lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
            .collect()
    }

    #[test]
    fn every_message_exists_in_every_language_and_parses() {
        let en = keys(Lang::En.source());
        assert!(en.len() > 20);
        for lang in Lang::ALL {
            assert_eq!(keys(lang.source()), en, "{lang:?} differs from English");
            assert!(FluentResource::try_new(lang.source().to_owned()).is_ok(), "{lang:?} does not parse");
            for k in &en {
                assert_ne!(Tr(lang).t(k), *k, "{lang:?}: {k} has no value");
            }
        }
    }

    /// Keys built from the core's states (a page names a state by `prefix-state`).
    #[test]
    fn every_state_has_a_name_in_every_language() {
        use entrepot_core::{
            balance::{MoneyBucket, MoneyReason},
            count::CountState,
            inbound::{DiscrepancyKind, InboundStatus},
            inventory::{Bucket, Reason},
            outbound::OutboundStatus,
            returns::{ReturnAction, ReturnStatus},
            sku::SkuStatus,
        };
        let key = state_key;
        let mut keys = vec![];
        keys.extend(OutboundStatus::ALL.iter().map(|s| key("status", s.as_str())));
        keys.extend(
            [SkuStatus::Draft, SkuStatus::Submitted, SkuStatus::Approved, SkuStatus::Rejected]
                .iter()
                .map(|s| key("sku-status", s.as_str())),
        );
        keys.extend(Bucket::HELD.iter().chain([Bucket::Outside].iter()).map(|b| key("bucket", b.as_str())));
        keys.extend(Reason::ALL.iter().map(|r| key("reason", r.code())));
        keys.extend(InboundStatus::ALL.iter().map(|s| key("inbound-status", s.as_str())));
        keys.extend(DiscrepancyKind::ALL.iter().map(|d| key("discrepancy", d.as_str())));
        keys.extend(ReturnStatus::ALL.iter().map(|s| key("return-status", s.as_str())));
        keys.push(key("return-status", "EXPECTED"));
        keys.extend(ReturnAction::ALL.iter().map(|a| key("return-action", a.as_str())));
        keys.extend(CountState::ALL.iter().map(|s| key("count-state", s.as_str())));
        keys.extend(entrepot_core::location::LocationKind::ALL.iter().map(|k| key("location-kind", k.as_str())));
        keys.extend((1..=7).map(|d| format!("weekday-{d}")));
        let reasons =
            [MoneyReason::TopUp, MoneyReason::Hold, MoneyReason::Release, MoneyReason::Charge, MoneyReason::Refund];
        keys.extend(reasons.iter().map(|r| key("money", r.as_str())));
        keys.extend(
            MoneyBucket::HELD.iter().chain([MoneyBucket::Outside].iter()).map(|b| key("money-bucket", b.as_str())),
        );
        for lang in Lang::ALL {
            for k in &keys {
                assert_ne!(Tr(lang).t(k), *k, "{lang:?} has no name for {k}");
            }
        }
    }

    #[test]
    fn language_comes_from_the_choice_then_the_browser() {
        let mut h = HeaderMap::new();
        assert_eq!(Lang::of_request(&h), Lang::En);
        h.insert(header::ACCEPT_LANGUAGE, "fr-FR,zh-CN;q=0.8,en;q=0.5".parse().unwrap_or_else(|_| unreachable!()));
        assert_eq!(Lang::of_request(&h), Lang::Zh);
        h.insert(header::COOKIE, "a=b; entrepot_lang=en".parse().unwrap_or_else(|_| unreachable!()));
        assert_eq!(Lang::of_request(&h), Lang::En);
        assert_eq!(Lang::accepted("de, en;q=0"), None);
        assert_eq!(Lang::accepted("en-GB;q=0.4, zh-Hans"), Some(Lang::Zh));
    }

    #[test]
    fn plurals_and_arguments_follow_each_language() {
        assert_eq!(Tr(Lang::En).t1("orders-count", "n", 1), "1 order");
        assert_eq!(Tr(Lang::En).t1("orders-count", "n", 3), "3 orders");
        assert_eq!(Tr(Lang::Zh).t1("orders-count", "n", 3), "3 个订单");
    }
}
