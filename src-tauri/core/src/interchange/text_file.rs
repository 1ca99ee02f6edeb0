//! Reading a text file whatever made it: UTF-8 with or without a byte-order mark, UTF-16 (a
//! spreadsheet's "Unicode text"), or a legacy code page such as Windows-1251 (Russian and
//! Ukrainian Excel), told apart by `chardetng`; and the CSV separator the file uses.

use serde::Serialize;
use ts_rs::TS;

/// A decoded file and how it was read, for the preview to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: String,
}

pub fn decode(bytes: &[u8]) -> Decoded {
    // A byte-order mark names the encoding (and is not part of the text).
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        return Decoded { text: text.into_owned(), encoding: encoding.name().into() };
    }
    // Before UTF-8: UTF-16 of ASCII text is valid UTF-8 too, zero bytes and all.
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return Decoded { text: text.into_owned(), encoding: encoding.name().into() };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded { text: text.to_string(), encoding: "UTF-8".into() };
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(None, true);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Decoded { text: text.into_owned(), encoding: encoding.name().into() }
}

/// UTF-16 text without a mark: mostly-ASCII text has a zero byte in every other place.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let zeros = |offset: usize| sample.iter().skip(offset).step_by(2).filter(|b| **b == 0).count();
    let half = sample.len() / 2;
    if zeros(1) * 2 > half && zeros(0) * 10 < half {
        Some(encoding_rs::UTF_16LE)
    } else if zeros(0) * 2 > half && zeros(1) * 10 < half {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// The separators CSV files use, in the order a tie is broken.
const SEPARATORS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The separator that splits the first lines into the same number of fields, most fields
/// winning; a comma when nothing tells.
pub fn separator(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let mut best = (b',', 1usize);
    for sep in SEPARATORS {
        let counts: Vec<usize> = lines.iter().map(|l| fields_outside_quotes(l, sep)).collect();
        let Some(&first) = counts.first() else { continue };
        if first > best.1 && counts.iter().all(|c| *c == first) {
            best = (sep, first);
        }
    }
    best.0
}

fn fields_outside_quotes(line: &str, sep: u8) -> usize {
    let mut quoted = false;
    let mut fields = 1;
    for b in line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b if b == sep && !quoted => fields += 1,
            _ => {}
        }
    }
    fields
}

/// A separator as the preview names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Separator {
    Comma,
    Semicolon,
    Tab,
    Bar,
}

impl Separator {
    pub fn of(byte: u8) -> Separator {
        match byte {
            b';' => Separator::Semicolon,
            b'\t' => Separator::Tab,
            b'|' => Separator::Bar,
            _ => Separator::Comma,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_a_clinic_meets_reads_the_same_names() {
        let text = "given_name;family_name\r\nАнна;Петренко\r\nĢirts;Bērziņš\r\n";
        let mut utf8_bom = "\u{feff}".as_bytes().to_vec();
        utf8_bom.extend_from_slice(text.as_bytes());
        let utf16le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let utf16le_bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        for (bytes, encoding) in [
            (text.as_bytes().to_vec(), "UTF-8"),
            (utf8_bom, "UTF-8"),
            (utf16le, "UTF-16LE"),
            (utf16le_bare, "UTF-16LE"),
            (utf16be, "UTF-16BE"),
        ] {
            let decoded = decode(&bytes);
            assert_eq!((decoded.text.as_str(), decoded.encoding.as_str()), (text, encoding));
        }
        let cyrillic = "given_name;family_name\r\nАнна;Петренко\r\nОлександр;Шевченко\r\nМарія;Коваленко\r\n";
        let (windows_1251, _, _) = encoding_rs::WINDOWS_1251.encode(cyrillic);
        let decoded = decode(&windows_1251);
        assert_eq!((decoded.text.as_str(), decoded.encoding.as_str()), (cyrillic, "windows-1251"));
    }

    #[test]
    fn the_separator_is_the_one_that_splits_every_line_alike() {
        assert_eq!(separator("a,b,c\n1,2,3\n"), b',');
        assert_eq!(separator("name;note\n\"Ozola, Anna\";x\n\"Liepa, Jānis\";y\n"), b';');
        assert_eq!(separator("a\tb\n1\t2\n"), b'\t');
        assert_eq!(separator("name\nAnna\n"), b',');
    }
}
