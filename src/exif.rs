//! Location metadata taken out of JPEG images before they leave the catalogue (pure: bytes in,
//! bytes out). Evidence photos keep their original bytes in the store; exports carry copies
//! whose EXIF GPS data is blanked, unless asked not to.
//!
//! A JPEG is a run of segments. The EXIF block is an APP1 segment ("Exif\0\0" then a TIFF
//! structure): IFD0 may point (tag 0x8825) at the GPS IFD, whose entries hold latitude,
//! longitude, altitude, time and place names. Each GPS entry and every value it points to is
//! overwritten with zeros and the GPS IFD's entry count set to 0, in place, so every other
//! offset in the block stays valid and the rest of the metadata (orientation, camera, time)
//! is kept. An XMP APP1 segment (Adobe's namespace) that mentions GPS is dropped whole. A
//! malformed EXIF block is dropped whole rather than passed on unread: a copy that may leak a
//! location is worse than one without metadata. No crate was small enough to be worth it for
//! this one filter (kamadak-exif reads but does not write).

/// The APP1 marker, and what opens the EXIF and XMP blocks in one.
const APP1: u8 = 0xE1;
const EXIF_HEADER: &[u8] = b"Exif\0\0";
const XMP_HEADER: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
/// The IFD0 tag whose value is the offset of the GPS IFD.
const GPS_IFD_POINTER: u16 = 0x8825;

/// What stripping did to an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stripped {
    /// Not a JPEG: the bytes are returned as they were.
    NotJpeg,
    /// A JPEG with no location metadata: unchanged.
    Clean,
    /// A JPEG whose location metadata was blanked or dropped.
    Removed,
}

/// A copy of `bytes` with EXIF GPS data blanked and XMP blocks naming GPS dropped, and what was
/// done. Bytes that are not a JPEG are copied unchanged.
pub fn strip_location(bytes: &[u8]) -> (Vec<u8>, Stripped) {
    if bytes.len() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 {
        return (bytes.to_vec(), Stripped::NotJpeg);
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut removed = false;
    let mut pos = 2;
    while pos < bytes.len() {
        if bytes[pos] != 0xFF || pos + 1 >= bytes.len() {
            // not a marker where one must be: pass the rest through as it is
            out.extend_from_slice(&bytes[pos..]);
            break;
        }
        let marker = bytes[pos + 1];
        if marker == 0xFF {
            // a fill byte before a marker
            out.push(0xFF);
            pos += 1;
            continue;
        }
        if marker == 0xD9 || marker == 0xDA {
            // end of image, or start of the scan: entropy-coded data follows, no more metadata
            out.extend_from_slice(&bytes[pos..]);
            break;
        }
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            out.extend_from_slice(&bytes[pos..pos + 2]);
            pos += 2;
            continue;
        }
        let Some(length) = bytes
            .get(pos + 2..pos + 4)
            .map(|l| u16::from_be_bytes([l[0], l[1]]) as usize)
        else {
            out.extend_from_slice(&bytes[pos..]);
            break;
        };
        let end = pos + 2 + length;
        if length < 2 || end > bytes.len() {
            out.extend_from_slice(&bytes[pos..]);
            break;
        }
        let data = &bytes[pos + 4..end];
        if marker == APP1 && data.starts_with(EXIF_HEADER) {
            let mut segment = bytes[pos..end].to_vec();
            match blank_gps(&mut segment[4 + EXIF_HEADER.len()..]) {
                Some(true) => {
                    removed = true;
                    out.extend_from_slice(&segment);
                }
                Some(false) => out.extend_from_slice(&segment),
                // unreadable: dropped whole
                None => removed = true,
            }
        } else if marker == APP1
            && data.starts_with(XMP_HEADER)
            && data.windows(3).any(|w| w == b"GPS")
        {
            removed = true;
        } else {
            out.extend_from_slice(&bytes[pos..end]);
        }
        pos = end;
    }
    let what = if removed {
        Stripped::Removed
    } else {
        Stripped::Clean
    };
    (out, what)
}

/// A TIFF structure's byte order.
#[derive(Clone, Copy)]
struct Order {
    little: bool,
}

impl Order {
    fn u16(self, b: &[u8], at: usize) -> Option<u16> {
        let s = b.get(at..at + 2)?;
        Some(if self.little {
            u16::from_le_bytes([s[0], s[1]])
        } else {
            u16::from_be_bytes([s[0], s[1]])
        })
    }

    fn u32(self, b: &[u8], at: usize) -> Option<u32> {
        let s = b.get(at..at + 4)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(if self.little {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    }
}

/// The size of one value of a TIFF field type (unknown types count as 1 byte, so their
/// values are blanked as far as they can be read).
fn type_size(t: u16) -> usize {
    match t {
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 => 8,
        _ => 1,
    }
}

/// Blanks the GPS IFD of a TIFF structure in place: Some(true) when it held entries,
/// Some(false) when there was none or it was empty, None when the structure cannot be read.
fn blank_gps(tiff: &mut [u8]) -> Option<bool> {
    let order = match tiff.get(0..2)? {
        b"II" => Order { little: true },
        b"MM" => Order { little: false },
        _ => return None,
    };
    if order.u16(tiff, 2)? != 42 {
        return None;
    }
    let ifd0 = order.u32(tiff, 4)? as usize;
    let entries = order.u16(tiff, ifd0)? as usize;
    let mut gps = None;
    for i in 0..entries {
        let entry = ifd0 + 2 + 12 * i;
        if order.u16(tiff, entry)? == GPS_IFD_POINTER {
            gps = Some(order.u32(tiff, entry + 8)? as usize);
        }
    }
    let Some(gps) = gps else {
        return Some(false);
    };
    let count = order.u16(tiff, gps)? as usize;
    if count == 0 {
        // blanked already (or never filled): nothing to take out
        return Some(false);
    }
    for i in 0..count {
        let entry = gps + 2 + 12 * i;
        let kind = order.u16(tiff, entry + 2)?;
        let values = order.u32(tiff, entry + 4)? as usize;
        let size = values.checked_mul(type_size(kind))?;
        if size > 4 {
            let at = order.u32(tiff, entry + 8)? as usize;
            tiff.get_mut(at..at.checked_add(size)?)?.fill(0);
        }
        tiff.get_mut(entry..entry + 12)?.fill(0);
    }
    tiff.get_mut(gps..gps + 2)?.fill(0);
    Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny JPEG (no real scan): SOI, an EXIF APP1 whose IFD0 holds an orientation and the GPS
    /// pointer, a GPS IFD with latitude ref 'N' and latitude 50/1 27/1 0/1, then SOS and EOI.
    pub fn jpeg_with_gps(little: bool) -> Vec<u8> {
        let w16 = |v: u16| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let w32 = |v: u32| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let mut tiff = Vec::new();
        tiff.extend_from_slice(if little { b"II" } else { b"MM" });
        tiff.extend_from_slice(&w16(42));
        tiff.extend_from_slice(&w32(8));
        // IFD0 at 8: 2 entries
        tiff.extend_from_slice(&w16(2));
        tiff.extend_from_slice(&w16(0x0112)); // orientation, SHORT 1 = 6
        tiff.extend_from_slice(&w16(3));
        tiff.extend_from_slice(&w32(1));
        tiff.extend_from_slice(&w16(6));
        tiff.extend_from_slice(&[0, 0]);
        tiff.extend_from_slice(&w16(0x8825)); // GPS IFD at 38
        tiff.extend_from_slice(&w16(4));
        tiff.extend_from_slice(&w32(1));
        tiff.extend_from_slice(&w32(38));
        tiff.extend_from_slice(&w32(0)); // no IFD1
        assert_eq!(tiff.len(), 38);
        tiff.extend_from_slice(&w16(2));
        tiff.extend_from_slice(&w16(1)); // GPSLatitudeRef ASCII 2 "N\0"
        tiff.extend_from_slice(&w16(2));
        tiff.extend_from_slice(&w32(2));
        tiff.extend_from_slice(b"N\0\0\0");
        tiff.extend_from_slice(&w16(2)); // GPSLatitude RATIONAL 3 at 68
        tiff.extend_from_slice(&w16(5));
        tiff.extend_from_slice(&w32(3));
        tiff.extend_from_slice(&w32(68));
        tiff.extend_from_slice(&w32(0));
        assert_eq!(tiff.len(), 68);
        for (n, d) in [(50u32, 1u32), (27, 1), (0, 1)] {
            tiff.extend_from_slice(&w32(n));
            tiff.extend_from_slice(&w32(d));
        }
        let mut app1 = EXIF_HEADER.to_vec();
        app1.extend_from_slice(&tiff);
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, APP1];
        jpeg.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        jpeg.extend_from_slice(&app1);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0x56, 0xFF, 0xD9]);
        jpeg
    }

    #[test]
    fn gps_entries_and_values_are_blanked_in_place_and_the_rest_is_kept() {
        for little in [true, false] {
            let jpeg = jpeg_with_gps(little);
            let (out, what) = strip_location(&jpeg);
            assert_eq!(what, Stripped::Removed);
            assert_eq!(out.len(), jpeg.len(), "blanked in place");
            let tiff = 4 + 2 + EXIF_HEADER.len();
            assert_eq!(
                &out[..tiff + 38],
                &jpeg[..tiff + 38],
                "header and IFD0 kept"
            );
            assert!(
                out[tiff + 38..tiff + 68 + 24].iter().all(|b| *b == 0),
                "GPS IFD and its values are zeros"
            );
            assert_eq!(
                &out[tiff + 68 + 24..],
                &jpeg[tiff + 68 + 24..],
                "the scan is untouched"
            );
            let (again, what) = strip_location(&out);
            assert_eq!(
                (again, what),
                (out.clone(), Stripped::Clean),
                "nothing left to strip"
            );
        }
    }

    #[test]
    fn what_is_not_a_jpeg_or_has_no_gps_passes_unchanged_and_a_broken_exif_block_is_dropped() {
        assert_eq!(
            strip_location(b"%PDF-1.4"),
            (b"%PDF-1.4".to_vec(), Stripped::NotJpeg)
        );
        let plain = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x01, 0xFF, 0xD9];
        assert_eq!(strip_location(&plain), (plain.to_vec(), Stripped::Clean));
        let mut broken = jpeg_with_gps(true);
        let gps_pointer_value = 4 + 2 + EXIF_HEADER.len() + 8 + 2 + 12 + 8;
        broken[gps_pointer_value] = 0xF0; // the GPS IFD pointer runs off the end
        let (out, what) = strip_location(&broken);
        assert_eq!(what, Stripped::Removed);
        assert_eq!(
            out,
            [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0x56, 0xFF, 0xD9]
        );
    }

    #[test]
    fn an_xmp_block_naming_gps_is_dropped() {
        let mut xmp = XMP_HEADER.to_vec();
        xmp.extend_from_slice(
            b"<x:xmpmeta><exif:GPSLatitude>50,27N</exif:GPSLatitude></x:xmpmeta>",
        );
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, APP1];
        jpeg.extend_from_slice(&((xmp.len() + 2) as u16).to_be_bytes());
        jpeg.extend_from_slice(&xmp);
        jpeg.extend_from_slice(&[0xFF, 0xD9]);
        assert_eq!(
            strip_location(&jpeg),
            (vec![0xFF, 0xD8, 0xFF, 0xD9], Stripped::Removed)
        );
    }
}
