//! Demo documents and content pages: a few real-looking documents of the seed municipalities,
//! their files made here (PDFs written with `pdf-writer`, posters drawn with `image`; nothing is
//! downloaded), linked to the plans, meetings and budgets they belong with; and content pages
//! from the seeds' texts. Runs once: an organisation that has documents or pages is left alone.

use std::sync::Arc;

use bytes::Bytes;
use chrono::NaiveDate;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
use pnyx_domain::documents::{Category, Document, LinkTarget};
use pnyx_domain::files::{
    FileKind, FileStorage, IMAGE_WIDTHS, ImageProcessor, Owner, StoredFile, Variant, key_of, put,
};
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::ids::{ContentPageId, DocumentId, FileId};
use pnyx_domain::org::Organisation;
use pnyx_domain::pages::{ContentPage, PageRevision};
use pnyx_domain::repo::{PageRequest, Store};
use sha2::{Digest, Sha256};

/// A one-page A4 PDF with a title and lines of text (ASCII: the standard Helvetica font).
fn pdf(title: &str, lines: &[&str]) -> Vec<u8> {
    let (catalog, tree, page, font, contents) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    let f = Name(b"F1");
    let mut doc = Pdf::new();
    doc.catalog(catalog).pages(tree);
    doc.pages(tree).kids([page]).count(1);
    let mut p = doc.page(page);
    p.media_box(Rect::new(0.0, 0.0, 595.0, 842.0));
    p.parent(tree);
    p.contents(contents);
    p.resources().fonts().pair(f, font);
    p.finish();
    doc.type1_font(font).base_font(Name(b"Helvetica"));
    let mut c = Content::new();
    c.begin_text();
    c.set_font(f, 18.0);
    c.next_line(56.0, 770.0);
    c.show(Str(title.as_bytes()));
    c.set_font(f, 11.0);
    for (i, line) in lines.iter().enumerate() {
        let dy = if i == 0 { -36.0 } else { -16.0 };
        c.next_line(0.0, dy);
        c.show(Str(line.as_bytes()));
    }
    c.end_text();
    doc.stream(contents, &c.finish());
    doc.finish()
}

fn text(pairs: &[(Locale, &str)]) -> LocalizedText {
    let mut t = LocalizedText::default();
    for (l, s) in pairs {
        t.insert(*l, *s);
    }
    t
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, String> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("bad date {y}-{m}-{d}"))
}

fn variant(bytes: &[u8], content_type: &str, width: Option<u32>, height: Option<u32>) -> Variant {
    Variant {
        width,
        height,
        content_type: content_type.to_owned(),
        size: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
    }
}

/// What a demo file is made of.
enum Made {
    Pdf(Vec<u8>),
    /// A poster: width, height, hue.
    Poster(u32, u32, u8),
}

struct Seeder<'a> {
    store: &'a dyn Store,
    storage: &'a dyn FileStorage,
    images: Arc<dyn ImageProcessor>,
}

impl Seeder<'_> {
    async fn file(&self, org: &Organisation, owner: Owner, name: &str, made: Made) -> Result<(), String> {
        let id = FileId::new_v7();
        let (content_type, kind, variants) = match made {
            Made::Pdf(bytes) => {
                put(self.storage, &key_of(org.id, id, None), Bytes::from(bytes.clone()))
                    .await
                    .map_err(|e| e.to_string())?;
                ("application/pdf", FileKind::Document, vec![variant(&bytes, "application/pdf", None, None)])
            }
            Made::Poster(w, h, hue) => {
                let png = pnyx_files::sample_png(w, h, hue)?;
                let mut vs = Vec::new();
                for img in self.images.variants(&png, &IMAGE_WIDTHS)? {
                    let key = key_of(org.id, id, Some(img.width));
                    vs.push(variant(&img.bytes, &img.content_type, Some(img.width), Some(img.height)));
                    put(self.storage, &key, Bytes::from(img.bytes)).await.map_err(|e| e.to_string())?;
                }
                ("image/png", FileKind::Image, vs)
            }
        };
        let f = StoredFile {
            id,
            org_id: org.id,
            owner,
            name: name.to_owned(),
            content_type: content_type.to_owned(),
            kind,
            variants,
            uploaded_by: None,
            created_at: pnyx_domain::now(),
        };
        self.store.create_file(&f).await.map_err(|e| e.to_string())
    }

    #[allow(clippy::too_many_arguments)]
    async fn document(
        &self,
        org: &Organisation,
        category: Category,
        title: LocalizedText,
        description: LocalizedText,
        published_on: NaiveDate,
        file: (&str, Made),
        links: &[LinkTarget],
    ) -> Result<(), String> {
        let now = pnyx_domain::now();
        let d = Document {
            id: DocumentId::new_v7(),
            org_id: org.id,
            category,
            title,
            description,
            published_on,
            created_by: None,
            created_at: now,
            updated_at: now,
        };
        self.store.create_document(&d).await.map_err(|e| e.to_string())?;
        self.file(org, Owner::Document(d.id), file.0, file.1).await?;
        for l in links {
            self.store.link_document(org.id, d.id, *l, now).await.map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    async fn page(
        &self,
        org: &Organisation,
        slug: &str,
        title: LocalizedText,
        body: &str,
        position: i32,
    ) -> Result<(), String> {
        let now = pnyx_domain::now();
        let p = ContentPage {
            id: ContentPageId::new_v7(),
            org_id: org.id,
            slug: slug.to_owned(),
            title,
            body: text(&[(org.default_locale, body)]),
            position,
            created_at: now,
            updated_at: now,
        };
        self.store.create_page(&p).await.map_err(|e| e.to_string())?;
        let r = PageRevision {
            id: uuid::Uuid::now_v7(),
            page_id: p.id,
            title: p.title.clone(),
            body: p.body.clone(),
            position,
            author_id: None,
            author_role: "admin".into(),
            created_at: now,
        };
        self.store.add_page_revision(&r).await.map_err(|e| e.to_string())
    }

    /// The organisation if it exists and has neither documents nor pages yet.
    async fn fresh(&self, slug: &str) -> Result<Option<Organisation>, String> {
        let Some(org) = self.store.org_by_slug(slug).await.map_err(|e| e.to_string())? else { return Ok(None) };
        let docs = self.store.documents(org.id, &Default::default()).await.map_err(|e| e.to_string())?;
        let pages = self.store.pages(org.id).await.map_err(|e| e.to_string())?;
        Ok((docs.is_empty() && pages.is_empty()).then_some(org))
    }
}

/// Seeds the demo documents (with their files in `storage`) and content pages.
///
/// # Errors
/// When the database or the storage fails.
pub async fn seed_library(store: &dyn Store, storage: &dyn FileStorage) -> Result<(), String> {
    let s = Seeder { store, storage, images: Arc::new(pnyx_files::ImageResizer) };
    let (pl, sk, en) = (Locale::Pl, Locale::Sk, Locale::En);
    let first = PageRequest { limit: 1, after: None };

    if let Some(org) = s.fresh("bedzin").await? {
        s.page(
            &org,
            "jak-dzialaja-konsultacje",
            text(&[(pl, "Jak działają konsultacje"), (en, "How consultations work")]),
            include_str!("data/bedzin-jak-dzialaja-konsultacje.md"),
            10,
        )
        .await?;
        s.document(
            &org,
            Category::Publications,
            text(&[
                (pl, "Partycypacyjny Będzin – publikacja projektu"),
                (en, "Participatory Będzin – the project's publication"),
            ]),
            text(&[(pl, "Wytyczne i doświadczenia z wdrożenia platformy konsultacji społecznych online w Będzinie.")]),
            date(2014, 9, 30)?,
            (
                "partycypacyjny-bedzin-publikacja.pdf",
                Made::Pdf(pdf(
                    "Partycypacyjny Bedzin",
                    &[
                        "Wdrozenie Platformy Konsultacji Spolecznych online w Bedzinie.",
                        "Projekt realizowany od 01.10.2013 r. do 30.09.2014 r.",
                        "Fundacja Praw Podstawowych i Miasto Bedzin.",
                    ],
                )),
            ),
            &[],
        )
        .await?;
        s.document(
            &org,
            Category::Education,
            text(&[
                (pl, "Ulotka: jak wziąć udział w konsultacjach"),
                (en, "Leaflet: how to take part in consultations"),
            ]),
            text(&[(pl, "Kalendarz konsultacji, formularz opinii i ankiety – w skrócie.")]),
            date(2014, 8, 20)?,
            ("ulotka-konsultacje.png", Made::Poster(900, 1270, 30)),
            &[],
        )
        .await?;
    }

    if let Some(org) = s.fresh("sosnowiec").await? {
        s.page(
            &org,
            "edukacja",
            text(&[(pl, "Edukacja"), (en, "Education")]),
            include_str!("data/sosnowiec-edukacja.md"),
            10,
        )
        .await?;
        s.page(
            &org,
            "akty-prawne",
            text(&[(pl, "Akty prawne"), (en, "Legal acts")]),
            include_str!("data/sosnowiec-akty-prawne.md"),
            20,
        )
        .await?;
        let budgets: Vec<LinkTarget> = store
            .budgets(org.id)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .take(1)
            .map(|b| LinkTarget::Budget(b.id))
            .collect();
        s.document(
            &org,
            Category::LegalActs,
            text(&[(pl, "Uchwała w sprawie budżetu obywatelskiego"), (en, "Resolution on the participatory budget")]),
            text(&[(pl, "Zasady i tryb przeprowadzania konsultacji społecznych w sprawie budżetu obywatelskiego Miasta Sosnowca.")]),
            date(2024, 3, 21)?,
            ("uchwala-budzet-obywatelski.pdf", Made::Pdf(pdf("Uchwala Rady Miejskiej w Sosnowcu", &[
                "w sprawie budzetu obywatelskiego Miasta Sosnowca.",
                "Par. 1. Mieszkancy zglaszaja projekty i glosuja na nie.",
                "Par. 2. Projekty ocenia zespol ds. budzetu obywatelskiego.",
            ]))),
            &budgets,
        )
        .await?;
        s.document(
            &org,
            Category::Publications,
            text(&[(pl, "Ulotka budżetu obywatelskiego"), (en, "Participatory budget leaflet")]),
            text(&[(pl, "Jak zgłosić projekt i jak głosować.")]),
            date(2024, 4, 2)?,
            ("ulotka-budzet-obywatelski.png", Made::Poster(1000, 1400, 90)),
            &budgets,
        )
        .await?;
    }

    if let Some(org) = s.fresh("banska-bystrica").await? {
        let meetings: Vec<LinkTarget> = store
            .meetings(org.id, &Default::default(), first)
            .await
            .map_err(|e| e.to_string())?
            .items
            .into_iter()
            .map(|m| LinkTarget::Meeting(m.id))
            .collect();
        let plans: Vec<LinkTarget> = store
            .plans(org.id, false)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .take(1)
            .map(|p| LinkTarget::ActionPlan(p.id))
            .collect();
        s.document(
            &org,
            Category::Minutes,
            text(&[(sk, "Vizualizovaný zápis z diskusného podujatia"), (en, "Visual minutes of the discussion event")]),
            text(&[(sk, "Grafický zápis druhého diskusného podujatia OGP Local: Jadro+.")]),
            date(2021, 4, 6)?,
            ("vizualny-zapis-2021-03-31.png", Made::Poster(1400, 990, 150)),
            &meetings,
        )
        .await?;
        s.document(
            &org,
            Category::Reports,
            text(&[(sk, "Akčný plán OGP Local 2021 – 2022"), (en, "OGP Local action plan 2021–2022")]),
            text(&[(sk, "Záväzky spoluvytvárané s mimovládnymi organizáciami, univerzitou a občanmi.")]),
            date(2021, 2, 15)?,
            (
                "akcny-plan-ogp-local.pdf",
                Made::Pdf(pdf(
                    "Akcny plan OGP Local 2021 - 2022",
                    &[
                        "Mesto Banska Bystrica",
                        "Zavazky spoluvytvarane s mimovladnymi organizaciami,",
                        "univerzitou a obcanmi.",
                    ],
                )),
            ),
            &plans,
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_pdf_is_a_pdf() {
        let b = super::pdf("Title", &["line one", "line two"]);
        assert!(b.starts_with(b"%PDF-"), "a PDF header");
        assert!(b.windows(8).any(|w| w == b"line two"), "the text is in it");
        assert_eq!(pnyx_domain::files::detect(&b, "x.pdf").map(|d| d.content_type), Ok("application/pdf".to_owned()));
    }
}
