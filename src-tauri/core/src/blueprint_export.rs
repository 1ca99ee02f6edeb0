//! A blueprint drawing as a file for the wall or for training: the SVG itself, a print page
//! (A3 landscape), or a PDF. The PDF is drawn from the same SVG, with the text set in the
//! app's own Noto Sans (the system's fonts only for scripts it lacks) and embedded, so it
//! prints the same on any machine.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use svg2pdf::usvg;
use ts_rs::TS;

use crate::domain::blueprint_svg::blueprint_page;
use crate::error::{Error, Refusal, Result};

/// A blueprint file's format, as the window and the command line ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum), value(rename_all = "snake_case"))]
pub enum ExportFormat {
    Svg,
    Html,
    Pdf,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Svg => "svg",
            Self::Html => "html",
            Self::Pdf => "pdf",
        }
    }
}

/// The file's bytes for `svg`, the drawing of the blueprint titled `title`.
pub fn export_file(format: ExportFormat, svg: String, title: &str) -> Result<Vec<u8>> {
    match format {
        ExportFormat::Svg => Ok(svg.into_bytes()),
        ExportFormat::Html => Ok(blueprint_page(&svg, title).into_bytes()),
        ExportFormat::Pdf => svg_to_pdf(&svg),
    }
}

/// The family the app carries (fonts/ at the top of the repository, SIL Open Font Licence):
/// Latin, Latvian, Cyrillic with Ukrainian letters and Greek, in the weights the drawing uses.
pub const BUNDLED_FAMILY: &str = "Noto Sans";
const BUNDLED_FONTS: [&[u8]; 3] = [
    include_bytes!("../../../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../../fonts/NotoSans-Italic.ttf"),
];

/// Only the bundled fonts, as on a machine with no fonts of its own.
#[cfg(test)]
fn bundled_fonts() -> usvg::fontdb::Database {
    with_bundled_fonts(usvg::fontdb::Database::new())
}

/// Adds the bundled fonts to `fonts` and points the generic families at them, so no text
/// depends on what the machine happens to have installed (after any system fonts: reading
/// the system's fonts also reads its own generic families).
fn with_bundled_fonts(mut fonts: usvg::fontdb::Database) -> usvg::fontdb::Database {
    for data in BUNDLED_FONTS {
        fonts.load_font_data(data.to_vec());
    }
    fonts.set_sans_serif_family(BUNDLED_FAMILY);
    fonts.set_serif_family(BUNDLED_FAMILY);
    fonts.set_monospace_family(BUNDLED_FAMILY);
    fonts.set_cursive_family(BUNDLED_FAMILY);
    fonts.set_fantasy_family(BUNDLED_FAMILY);
    fonts
}

/// The bundled fonts, and the system's as a fallback for scripts they lack (Chinese),
/// read once per run: reading a few hundred font files takes most of an export's time, and
/// the window may export many times.
fn export_fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut system = usvg::fontdb::Database::new();
            system.load_system_fonts();
            Arc::new(with_bundled_fonts(system))
        })
        .clone()
}

/// One PDF page the size of the drawing (1 px = 1 pt); as vectors it prints sharp at any size.
fn svg_to_pdf(svg: &str) -> Result<Vec<u8>> {
    svg_to_pdf_with(svg, export_fonts())
}

fn svg_to_pdf_with(svg: &str, fonts: Arc<usvg::fontdb::Database>) -> Result<Vec<u8>> {
    let options = usvg::Options { fontdb: fonts, font_family: BUNDLED_FAMILY.into(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &options)
        .map_err(|e| Error::refused("", Refusal::PdfFailed { detail: e.to_string() }))?;
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), svg2pdf::PageOptions::default())
        .map_err(|e| Error::refused("", Refusal::PdfFailed { detail: e.to_string() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200"><rect width="400" height="200" fill="#fff"/><text x="10" y="30" font-family="sans-serif" font-size="14">Линия взаимодействия — Line of interaction</text></svg>"##;

    #[test]
    fn a_pdf_is_one_page_the_size_of_the_drawing_with_its_fonts_embedded() {
        let pdf = export_file(ExportFormat::Pdf, SVG.into(), "First consultation").unwrap();
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-"), "a PDF file");
        assert!(text.contains("/MediaBox [0 0 400 200]"), "the page is the drawing's size");
        assert_eq!(text.matches("/Type /Page").count() - text.matches("/Type /Pages").count(), 1, "one page");
        assert!(text.contains("/FontFile2"), "the text's font is embedded, so it prints the same elsewhere");
    }

    const LABELS: [&str; 3] = ["Line of interaction", "Линия взаимодействия", "Лінія взаємодії: їжа, ґанок"];

    fn labelled(family: &str) -> String {
        let texts: String = LABELS
            .iter()
            .enumerate()
            .map(|(i, label)| {
                format!(r#"<text x="10" y="{}" font-family="{family}" font-size="14">{label}</text>"#, 30 + 40 * i)
            })
            .collect();
        format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">{texts}</svg>"#)
    }

    /// The PDF's text without whitespace: the extractor spaces out glyphs that the PDF places
    /// one by one.
    fn words_of(pdf: &[u8]) -> String {
        pdf_extract::extract_text_from_mem(pdf).unwrap().split_whitespace().collect()
    }

    fn contains_words(words: &str, label: &str) -> bool {
        words.contains(&label.split_whitespace().collect::<String>())
    }

    #[test]
    fn generic_families_are_set_in_the_bundled_font_with_no_system_font_at_all() {
        for family in ["sans-serif", "serif", "Arial", "Noto Sans"] {
            let pdf = svg_to_pdf_with(&labelled(family), Arc::new(bundled_fonts())).unwrap();
            let words = words_of(&pdf);
            for label in LABELS {
                assert!(contains_words(&words, label), "{family}: “{label}” is not in the PDF's text: {words:?}");
            }
            assert!(String::from_utf8_lossy(&pdf).contains("NotoSans"), "{family}: set in the bundled Noto Sans");
        }
    }

    #[test]
    fn the_exported_blueprint_pdf_reads_back_its_words() {
        let pdf = export_file(ExportFormat::Pdf, labelled("sans-serif"), "First consultation").unwrap();
        let words = words_of(&pdf);
        for label in LABELS {
            assert!(contains_words(&words, label), "“{label}” is not in the PDF's text: {words:?}");
        }
    }

    #[test]
    fn svg_and_print_page_carry_the_drawing_and_unknown_formats_are_refused() {
        let svg = export_file(ExportFormat::Svg, SVG.into(), "First consultation").unwrap();
        assert_eq!(svg, SVG.as_bytes());
        let page =
            String::from_utf8(export_file(ExportFormat::Html, SVG.into(), "First consultation").unwrap()).unwrap();
        assert!(page.contains("A3 landscape") && page.contains("Line of interaction"));
        assert_eq!(serde_json::from_str::<ExportFormat>("\"pdf\"").unwrap().extension(), "pdf");
        assert!(
            serde_json::from_str::<ExportFormat>("\"png\"").is_err(),
            "only the known formats cross from the window"
        );
    }

    #[test]
    fn a_broken_drawing_is_refused_not_written() {
        let err = export_file(ExportFormat::Pdf, "<svg".into(), "x").unwrap_err();
        assert!(matches!(err.refusal(), Some(Refusal::PdfFailed { .. })), "{err}");
        assert!(err.to_string().contains("The PDF could not be made"), "{err}");
    }
}
