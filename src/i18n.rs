//! The page's two languages: English and Simplified Chinese.
//!
//! Interface strings are written in English in the code and looked up with [`tr`] (gettext's
//! habit: the English text is the key, so a missing translation shows English, never a blank).
//! Tutorial texts carry both languages side by side ([`T`]). RabbitMQ's own words stay as they
//! are in both: method and property names (`basic_qos`, `reply_to`), error texts, and the
//! counts `ready N · unacked M` as `rabbitmqctl` prints them.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// The language for a BCP 47 tag (`navigator.language`, a saved choice): Chinese for any
    /// `zh` tag (Simplified is what we have), English otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase();
        if t == "zh" || t.starts_with("zh-") || t.starts_with("zh_") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The first of the browser's preferred languages we have (`navigator.languages`).
    pub fn prefer<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        for t in tags {
            let l = t.trim().to_ascii_lowercase();
            if l.starts_with("zh") {
                return Lang::Zh;
            }
            if l.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::En
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The name of the language in itself (for the switch).
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }
}

/// A text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct T {
    pub en: &'static str,
    pub zh: &'static str,
}

impl T {
    pub fn get(&self, l: Lang) -> &'static str {
        match l {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

/// The interface string `en` in language `l` (English when there is no translation).
pub fn tr(l: Lang, en: &'static str) -> &'static str {
    match l {
        Lang::En => en,
        Lang::Zh => match ZH.binary_search_by(|(k, _)| k.cmp(&en)) {
            Ok(i) => ZH[i].1,
            Err(_) => en,
        },
    }
}

/// Whether `en` has a Chinese translation (tests check every interface string has one).
pub fn translated(en: &str) -> bool {
    ZH.binary_search_by(|(k, _)| (*k).cmp(en)).is_ok()
}

/// The Chinese interface strings, sorted by their English key (a test keeps them sorted).
pub const ZH: &[(&str, &str)] = &[];
