//! The ISO 639-1 language codes and their English names: to refuse a code
//! nobody speaks ("xx", "en-" typos) on the settings page, and to name the
//! accepted languages on the public rules page.

/// `code name` pairs, one per line, sorted by code.
const ISO_639_1: &str = "\
aa Afar
ab Abkhazian
ae Avestan
af Afrikaans
ak Akan
am Amharic
an Aragonese
ar Arabic
as Assamese
av Avaric
ay Aymara
az Azerbaijani
ba Bashkir
be Belarusian
bg Bulgarian
bi Bislama
bm Bambara
bn Bengali
bo Tibetan
br Breton
bs Bosnian
ca Catalan
ce Chechen
ch Chamorro
co Corsican
cr Cree
cs Czech
cu Church Slavic
cv Chuvash
cy Welsh
da Danish
de German
dv Divehi
dz Dzongkha
ee Ewe
el Greek
en English
eo Esperanto
es Spanish
et Estonian
eu Basque
fa Persian
ff Fulah
fi Finnish
fj Fijian
fo Faroese
fr French
fy Western Frisian
ga Irish
gd Scottish Gaelic
gl Galician
gn Guarani
gu Gujarati
gv Manx
ha Hausa
he Hebrew
hi Hindi
ho Hiri Motu
hr Croatian
ht Haitian
hu Hungarian
hy Armenian
hz Herero
ia Interlingua
id Indonesian
ie Interlingue
ig Igbo
ii Sichuan Yi
ik Inupiaq
io Ido
is Icelandic
it Italian
iu Inuktitut
ja Japanese
jv Javanese
ka Georgian
kg Kongo
ki Kikuyu
kj Kuanyama
kk Kazakh
kl Kalaallisut
km Khmer
kn Kannada
ko Korean
kr Kanuri
ks Kashmiri
ku Kurdish
kv Komi
kw Cornish
ky Kirghiz
la Latin
lb Luxembourgish
lg Ganda
li Limburgish
ln Lingala
lo Lao
lt Lithuanian
lu Luba-Katanga
lv Latvian
mg Malagasy
mh Marshallese
mi Maori
mk Macedonian
ml Malayalam
mn Mongolian
mr Marathi
ms Malay
mt Maltese
my Burmese
na Nauru
nb Norwegian Bokmål
nd North Ndebele
ne Nepali
ng Ndonga
nl Dutch
nn Norwegian Nynorsk
no Norwegian
nr South Ndebele
nv Navajo
ny Chichewa
oc Occitan
oj Ojibwa
om Oromo
or Oriya
os Ossetian
pa Punjabi
pi Pali
pl Polish
ps Pashto
pt Portuguese
qu Quechua
rm Romansh
rn Rundi
ro Romanian
ru Russian
rw Kinyarwanda
sa Sanskrit
sc Sardinian
sd Sindhi
se Northern Sami
sg Sango
si Sinhala
sk Slovak
sl Slovenian
sm Samoan
sn Shona
so Somali
sq Albanian
sr Serbian
ss Swati
st Southern Sotho
su Sundanese
sv Swedish
sw Swahili
ta Tamil
te Telugu
tg Tajik
th Thai
ti Tigrinya
tk Turkmen
tl Tagalog
tn Tswana
to Tonga
tr Turkish
ts Tsonga
tt Tatar
tw Twi
ty Tahitian
ug Uighur
uk Ukrainian
ur Urdu
uz Uzbek
ve Venda
vi Vietnamese
vo Volapük
wa Walloon
wo Wolof
xh Xhosa
yi Yiddish
yo Yoruba
za Zhuang
zh Chinese
zu Zulu";

/// The English name of a two-letter code (`"fr"` → `"French"`).
fn name_of(code: &str) -> Option<&'static str> {
    ISO_639_1.lines().find_map(|line| {
        let (c, name) = line.split_once(' ')?;
        c.eq_ignore_ascii_case(code).then_some(name)
    })
}

/// Whether a tag is well formed and its language is a known one. Two-letter
/// codes must be ISO 639-1; three-letter ones (ISO 639-2/3, thousands of
/// them) are taken on their shape.
pub fn is_known(tag: &str) -> bool {
    if !crate::config::is_language_tag(tag) {
        return false;
    }
    let primary = tag.split('-').next().unwrap_or("");
    primary.len() == 3 || name_of(primary).is_some()
}

/// A name to show for a tag: `"pt-BR"` → `"Portuguese (pt-BR)"`; the tag
/// itself when the language is not in the list.
pub fn display_name(tag: &str) -> String {
    let primary = tag.split('-').next().unwrap_or("");
    match name_of(primary) {
        Some(name) => format!("{name} ({tag})"),
        None => tag.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_and_names() {
        assert!(is_known("fr"));
        assert!(is_known("pt-BR"));
        assert!(is_known("gsw"));
        assert!(!is_known("xx"));
        assert!(!is_known("english"));
        assert!(!is_known("en-"));
        assert_eq!(display_name("fr"), "French (fr)");
        assert_eq!(display_name("gsw"), "gsw");
    }

    #[test]
    fn the_list_is_sorted_and_well_formed() {
        let codes: Vec<&str> = ISO_639_1
            .lines()
            .map(|l| l.split_once(' ').map(|(c, _)| c).unwrap_or(""))
            .collect();
        assert!(codes.iter().all(|c| c.len() == 2));
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
    }
}
