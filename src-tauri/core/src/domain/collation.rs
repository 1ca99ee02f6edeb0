//! Alphabetical order as the clinic's language has it: Ukrainian puts ґ after г and є after е,
//! Latvian č after c and š after s, Chinese sorts by pinyin — not by code point.

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::Locale;

/// A collator for names in `language` (a code such as "uk"); the root order of the Unicode
/// Collation Algorithm for a language ICU does not know.
pub fn names_collator(language: &str) -> CollatorBorrowed<'static> {
    let locale = Locale::try_from_str(language).unwrap_or(Locale::UNKNOWN);
    Collator::try_new(locale.into(), CollatorOptions::default())
        .or_else(|_| Collator::try_new(Locale::UNKNOWN.into(), CollatorOptions::default()))
        .expect("the collator's built-in root data")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(language: &str, names: &[&str]) -> Vec<String> {
        let collator = names_collator(language);
        let mut names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        names.sort_by(|a, b| collator.compare(a, b));
        names
    }

    #[test]
    fn each_language_sorts_names_its_own_way() {
        assert_eq!(
            sorted("uk", &["Ґудзь", "Гнатюк", "Дяченко", "Єрмак", "Іванова", "Жук"]),
            ["Гнатюк", "Ґудзь", "Дяченко", "Єрмак", "Жук", "Іванова"]
        );
        assert_eq!(
            sorted("lv", &["Šmits", "Sproģis", "Čakste", "Cīrulis", "Tauriņš"]),
            ["Cīrulis", "Čakste", "Sproģis", "Šmits", "Tauriņš"]
        );
        // By pinyin: Li, Wang, Zhang.
        assert_eq!(sorted("zh", &["张伟", "王芳", "李娜"]), ["李娜", "王芳", "张伟"]);
        assert_eq!(sorted("en", &["de Vries", "Dawson", "Ávila", "adams"]), ["adams", "Ávila", "Dawson", "de Vries"]);
        assert_eq!(sorted("xx-not-a-language", &["b", "A"]), ["A", "b"], "the root order for an unknown language");
    }
}
