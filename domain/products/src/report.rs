//! The evaluation report (*evalueringsrapport*) as the association publishes it: front matter,
//! the document-information block, resumé, overall assessment and recommendation, a table per
//! theme with the emoji marks, the two count tables and a pie chart per level (mermaid), so the
//! secretariat can publish it as it is.

use std::fmt::Write as _;

use os2pm_levels::{Level, Theme};
use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::evaluation::{self, LEVELS, Mark, Marked, THEMES, Tally, ThemeCounts};

/// One requirement's line in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// `R1`, `F7`, or a 2016 requirement key.
    pub id: String,
    pub level: Level,
    pub theme: Theme,
    /// The requirement (*krav*).
    pub requirement: String,
    /// What it is judged by (*vurderingskriterie*).
    pub criterion: String,
    pub mark: Mark,
    /// *Vurderingsgrundlag*.
    pub basis: String,
    /// Every column of the report it was read from, by header (empty for a line os2pm wrote):
    /// a theme whose lines all have the same headers is written again in that layout.
    pub columns: Vec<(String, String)>,
}

/// Everything a report says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub product: String,
    /// The checklist version the marks are against (*version for anvendt evalueringsskabelon*).
    pub template_version: String,
    /// As the reports write it: `DD-MM-YYYY`.
    pub date: String,
    pub evaluator: String,
    /// The product's repository, when known.
    pub repository: Option<String>,
    pub summary: String,
    pub assessment: String,
    pub recommendation: String,
    /// In checklist order.
    pub lines: Vec<Line>,
}

/// The emoji a report marks with.
pub fn emoji(mark: Mark) -> &'static str {
    match mark {
        Mark::Green => "🟢",
        Mark::Yellow => "🟡",
        Mark::Red => "🔴",
        Mark::Grey => "⚪",
    }
}

/// A level as the tables' *Niveau* column writes it.
pub fn level_cell(level: Level) -> &'static str {
    match level {
        Level::Sandbox => "Sandkasse",
        Level::N1 => "1",
        Level::N2 => "2",
        Level::N3 => "3",
    }
}

/// A level as the count tables and charts name it.
pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Sandbox => "Sandkasse",
        Level::N1 => "Niveau 1",
        Level::N2 => "Niveau 2",
        Level::N3 => "Niveau 3",
    }
}

/// A theme as the count table names it; its section heading is the same in capitals.
pub fn theme_name(theme: Theme) -> &'static str {
    match theme {
        Theme::Relevance => "Relevans",
        Theme::Form => "Formkrav",
        Theme::Strategy => "Strategisk sammenhæng",
        Theme::Governance => "Governance",
    }
}

/// A table cell: one line, its pipes escaped.
fn cell(text: &str) -> String {
    text.trim()
        .replace('|', "\\|")
        .replace("\r\n", "\n")
        .replace('\n', "<br/>")
}

const COLOURS: [(Mark, &str, &str); 4] = [
    (Mark::Green, "Grøn", "#008000"),
    (Mark::Yellow, "Gul", "#FFFF00"),
    (Mark::Red, "Rød", "#FF0000"),
    (Mark::Grey, "Grå", "#808080"),
];

fn of(tally: &Tally, mark: Mark) -> u32 {
    match mark {
        Mark::Green => tally.green,
        Mark::Yellow => tally.yellow,
        Mark::Red => tally.red,
        Mark::Grey => tally.grey,
    }
}

/// A share in whole percent, halves rounded up, as the reports round.
fn percent(part: u32, whole: u32) -> u32 {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

/// A pie chart of a tally, largest slice first.
fn pie(out: &mut String, title: &str, tally: &Tally) {
    let mut slices = COLOURS.to_vec();
    slices.sort_by_key(|(mark, _, _)| std::cmp::Reverse(of(tally, *mark)));
    let colours: Vec<String> = slices
        .iter()
        .enumerate()
        .map(|(i, (_, _, colour))| format!("\"pie{}\": \"{colour}\"", i + 1))
        .collect();
    let _ = writeln!(out, "```mermaid");
    let _ = writeln!(
        out,
        "%%{{init: {{\"themeVariables\": {{\n\t{}\n}}}}}}%%",
        colours.join(", \t")
    );
    let _ = writeln!(out, "pie showData");
    let _ = writeln!(out, "\ttitle {title} ({} krav)", tally.total());
    for (mark, name, _) in &slices {
        let count = of(tally, *mark);
        let _ = writeln!(
            out,
            "\t\"{name} {}%\" : {count}",
            percent(count, tally.total())
        );
    }
    let _ = writeln!(out, "```\n");
}

/// The headers of the report a theme's lines were read from, when they all share them.
fn read_layout(lines: &[&Line]) -> Option<Vec<String>> {
    let first: Vec<String> = lines
        .first()?
        .columns
        .iter()
        .map(|(h, _)| h.clone())
        .collect();
    let same = lines
        .iter()
        .all(|line| line.columns.iter().map(|(h, _)| h).eq(first.iter()));
    let generated = first.iter().map(String::as_str).eq(GENERATED_HEADERS);
    (!first.is_empty() && same && !generated).then_some(first)
}

/// The theme tables' headers in the layout os2pm generates.
const GENERATED_HEADERS: [&str; 6] = [
    "#",
    "Niveau",
    "Krav",
    "Vurderingskriterie",
    "Vurdering",
    "Vurderingsgrundlag",
];

/// A theme's table in the layout it was read in; the mark and its basis as recorded now.
fn theme_table_as_read(out: &mut String, headers: &[String], lines: &[&Line]) {
    let escaped: Vec<String> = headers.iter().map(|h| cell(h)).collect();
    let _ = writeln!(out, "| {} |", escaped.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(headers.len()));
    for line in lines {
        let cells: Vec<String> = line
            .columns
            .iter()
            .map(|(header, text)| match header.as_str() {
                "Vurdering" => emoji(line.mark).to_owned(),
                "Vurderingsgrundlag" => cell(&line.basis),
                _ => cell(text),
            })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// The report in Markdown.
pub fn to_markdown(report: &Report) -> String {
    let counts = evaluation::count(&report.lines.iter().map(Marked::from).collect::<Vec<_>>());
    let mut out = String::new();
    let _ = write!(
        out,
        "---\ntitle: {product} evalueringsrapport\nlayout: default\nparent: Evalueringsrapporter\n\
         nav_exclude: true\n---\n\n# Evaluering af OS2-produkt: {product}\n\n\
         > **📄 Dokumentinformation**<br/>\n\
         > **Version for anvendt evalueringsskabelon:** {version}<br/>\n\
         > **Dato for udfyldelse:** {date}<br/>\n\
         > **Evaluering lavet af:** {evaluator}<br/>\n\
         > **Link til Git organisation:** {repository}<br/>\n\n\
         ## Resumé\n{summary}\n\n## Overordnet vurdering\n{assessment}\n\n\
         ## Anbefaling\n{recommendation}\n\n---\n\n\
         # Evaluering i henhold til krav i OS2s styringsmodel\n",
        product = report.product,
        version = report.template_version,
        date = report.date,
        evaluator = report.evaluator,
        repository = report
            .repository
            .as_deref()
            .unwrap_or("[indsæt link til git organisation/repo]"),
        summary = report.summary.trim(),
        assessment = report.assessment.trim(),
        recommendation = report.recommendation.trim(),
    );
    for theme in THEMES {
        let lines: Vec<&Line> = report.lines.iter().filter(|l| l.theme == theme).collect();
        let _ = write!(out, "\n## {}\n\n", theme_name(theme).to_uppercase());
        if let Some(headers) = read_layout(&lines) {
            theme_table_as_read(&mut out, &headers, &lines);
            continue;
        }
        let _ = write!(
            out,
            "| {} |\n|-----|-----------|------|--------------------|-----------|--------------------|\n",
            GENERATED_HEADERS.join(" | ")
        );
        for line in lines {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                cell(&line.id),
                level_cell(line.level),
                cell(&line.requirement),
                cell(&line.criterion),
                emoji(line.mark),
                cell(&line.basis)
            );
        }
    }
    let _ = write!(
        out,
        "\n# Optælling af vurderinger pr. niveau og tema\n\n\
         | Niveau / Vurdering | 🟢 Grøn | 🟡 Gul | 🔴 Rød | ⚪ Grå |\n\
         |-------------------------|---------|--------|--------|--------|\n"
    );
    let row = |out: &mut String, name: &str, t: &Tally| {
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} |",
            t.green, t.yellow, t.red, t.grey
        );
    };
    for (level, tally) in &counts.per_level {
        row(&mut out, level_name(*level), tally);
    }
    row(&mut out, "**Total**", &counts.total);
    let marks = |t: &Tally| format!("🟢 {} 🟡 {} 🔴 {} ⚪ {}", t.green, t.yellow, t.red, t.grey);
    let _ = write!(
        out,
        "\n| Tema / Niveau | {} | Total |\n|---|---|---|---|---|---|\n",
        LEVELS.map(level_name).join(" | ")
    );
    for (theme, levels, total) in &counts.per_theme {
        let cells: Vec<String> = levels.iter().map(|(_, t)| marks(t)).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            theme_name(*theme),
            cells.join(" | "),
            marks(total)
        );
    }
    out.push('\n');
    for (level, tally) in &counts.per_level {
        pie(&mut out, level_name(*level), tally);
    }
    pie(&mut out, "Samlet", &counts.total);
    out.push_str(LEGEND);
    out
}

/// A report's line as read back: the requirement's id, the level and theme the report puts it
/// at, its mark and basis, and every column's text by its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadLine {
    pub id: String,
    pub level: Level,
    pub theme: Theme,
    pub mark: Mark,
    pub basis: String,
    pub columns: Vec<(String, String)>,
}

impl From<&Line> for Marked {
    fn from(line: &Line) -> Self {
        Self {
            level: line.level,
            theme: line.theme,
            mark: line.mark,
        }
    }
}

impl From<&ReadLine> for Marked {
    fn from(line: &ReadLine) -> Self {
        Self {
            level: line.level,
            theme: line.theme,
            mark: line.mark,
        }
    }
}

/// A published report as read back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    /// The template (checklist) version it states.
    pub template_version: Option<String>,
    pub date: Option<String>,
    pub evaluator: Option<String>,
    pub repository: Option<String>,
    pub summary: String,
    pub assessment: String,
    pub recommendation: String,
    pub lines: Vec<ReadLine>,
    /// The count per level and in total, where the report has that table.
    pub stated_levels: Option<Vec<(Level, Tally)>>,
    pub stated_total: Option<Tally>,
    /// The count per theme × level and per theme, where the report has that table.
    pub stated_themes: Option<Vec<ThemeCounts>>,
    /// The theme table's own total row (hand-edited reports have one): per level and in all.
    pub stated_theme_totals: Option<(Vec<(Level, Tally)>, Tally)>,
    /// The counts its resumé, assessment or recommendation state in words.
    pub stated_in_prose: Vec<ProseCount>,
    /// The version of the self-assessment (*governancerapport*) a hand-edited report rests on.
    pub governance_report_version: Option<String>,
}

/// A count a report states in words, as the hand-edited reports do: "Samlet er 20 af 43 krav
/// vurderet grønne, 16 gule, 6 røde og 1 gråt." Only the colours it names are stated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProseCount {
    pub sentence: String,
    /// The requirements in all (*af 43 krav*).
    pub of: u32,
    pub green: Option<u32>,
    pub yellow: Option<u32>,
    pub red: Option<u32>,
    pub grey: Option<u32>,
}

/// The colour a word of a prose count names, in any of its Danish forms.
fn colour_word(word: &str) -> Option<Mark> {
    match word {
        "grøn" | "grønne" | "grønt" => Some(Mark::Green),
        "gul" | "gule" | "gult" => Some(Mark::Yellow),
        "rød" | "røde" | "rødt" => Some(Mark::Red),
        "grå" | "gråt" => Some(Mark::Grey),
        _ => None,
    }
}

/// Every sentence of `text` that counts marks: "N af M krav …", then a number (or *ingen*)
/// before each colour it names.
fn prose_counts(text: &str) -> Vec<ProseCount> {
    text.split(['.', '\n', ';'])
        .filter_map(|sentence| {
            let words: Vec<String> = sentence
                .split(|c: char| c.is_whitespace() || c == ',' || c == ':')
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            let number = |w: &String| w.parse::<u32>().ok();
            let at = words.windows(4).position(|w| {
                number(&w[0]).is_some() && w[1] == "af" && number(&w[2]).is_some() && w[3] == "krav"
            })?;
            let mut count = ProseCount {
                sentence: sentence.trim().to_owned(),
                of: number(&words[at + 2])?,
                ..ProseCount::default()
            };
            let mut pending = number(&words[at]);
            for word in &words[at + 4..] {
                if let Some(n) = number(word) {
                    pending = Some(n);
                } else if word == "ingen" {
                    pending = Some(0);
                } else if let Some(mark) = colour_word(word) {
                    let slot = match mark {
                        Mark::Green => &mut count.green,
                        Mark::Yellow => &mut count.yellow,
                        Mark::Red => &mut count.red,
                        Mark::Grey => &mut count.grey,
                    };
                    if let Some(n) = pending.take() {
                        *slot = Some(n);
                    }
                }
            }
            Some(count)
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error(
        "no table of marks was found: a theme's table has the columns #, Vurdering and Vurderingsgrundlag"
    )]
    NoMarks,
    #[error(
        "the table under `{heading}` is not one of the themes (relevans, formkrav, strategisk sammenhæng, governance)"
    )]
    UnknownTheme { heading: String },
    #[error("the table under `{heading}` has no `{column}` column")]
    MissingColumn { heading: String, column: String },
    #[error("`{id}`: the mark `{cell}` is not 🟢, 🟡, 🔴 or ⚪")]
    UnknownMark { id: String, cell: String },
    #[error("`{id}`: the level `{cell}` is not sandkasse, 1, 2 or 3")]
    UnknownLevel { id: String, cell: String },
    #[error("`{id}` is marked twice")]
    MarkedTwice { id: String },
    #[error("the count table's `{row}` row cannot be read: `{cell}`")]
    UnreadableCount { row: String, cell: String },
    #[error("{what}: the report's table says {stated}, its marks make {counted}")]
    CountDiffers {
        what: String,
        stated: u32,
        counted: u32,
    },
    #[error("\"{sentence}\": the text says {stated} {what}, its marks make {counted}")]
    ProseDiffers {
        sentence: String,
        what: String,
        stated: u32,
        counted: u32,
    },
}

/// What a table cell holds as text: inline content, `<br>` as a new line, links as their text.
#[derive(Default)]
struct Table {
    heading: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    in_head: bool,
}

/// The sections whose text becomes the evaluation's resumé, assessment and recommendation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Summary,
    Assessment,
    Recommendation,
}

fn section(heading: &str) -> Option<Section> {
    match heading.trim().to_lowercase().as_str() {
        "resumé" | "resume" => Some(Section::Summary),
        "overordnet vurdering" => Some(Section::Assessment),
        "anbefaling" | "anbefalinger" => Some(Section::Recommendation),
        _ => None,
    }
}

fn theme_of(heading: &str) -> Option<Theme> {
    THEMES
        .into_iter()
        .find(|theme| theme_name(*theme).eq_ignore_ascii_case(heading.trim()))
        .or_else(|| {
            THEMES
                .into_iter()
                .find(|theme| theme_name(*theme).to_uppercase() == heading.trim().to_uppercase())
        })
}

fn level_of(cell: &str) -> Option<Level> {
    match cell.trim().to_lowercase().as_str() {
        "sandkasse" => Some(Level::Sandbox),
        "1" | "n1" | "niveau 1" => Some(Level::N1),
        "2" | "n2" | "niveau 2" => Some(Level::N2),
        "3" | "n3" | "niveau 3" => Some(Level::N3),
        _ => None,
    }
}

fn mark_of(cell: &str) -> Option<Mark> {
    let found: Vec<Mark> = COLOURS
        .iter()
        .map(|(mark, _, _)| *mark)
        .filter(|mark| cell.contains(emoji(*mark)))
        .collect();
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// `🟢 1 🟡 0 🔴 0 ⚪ 0`, as the theme table writes a tally.
fn tally_of(cell: &str) -> Option<Tally> {
    let mut tally = Tally::default();
    let words: Vec<&str> = cell.split_whitespace().collect();
    for pair in words.chunks(2) {
        let [colour, count] = pair else { return None };
        let count: u32 = count.parse().ok()?;
        match mark_of(colour)? {
            Mark::Green => tally.green = count,
            Mark::Yellow => tally.yellow = count,
            Mark::Red => tally.red = count,
            Mark::Grey => tally.grey = count,
        }
    }
    Some(tally)
}

/// Reads a published report: its document information, its resumé, assessment and
/// recommendation, every theme table (found by its headers, in the generated six-column layout
/// or the hand-edited nine-column one) and the count tables where it has them. Every problem is
/// listed.
pub fn read(markdown: &str) -> Result<ReadReport, Vec<ReportError>> {
    // The front matter reads as a rule and a heading of its own, which nothing below looks for.
    let mut reader = Reader::default();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        let text = reader.text_of(&event);
        reader.structure(&event);
        if let Some(text) = text {
            reader.land(&text);
        }
    }
    reader.finish()
}

/// What the reader holds while the events pass: where text lands and what has been read.
#[derive(Default)]
struct Reader {
    report: ReadReport,
    tables: Vec<Table>,
    table: Option<Table>,
    cell: Option<String>,
    heading_text: Option<String>,
    last_heading: String,
    /// The section being read (its heading's level, its text so far), and those read.
    capture: Option<(Section, HeadingLevel, String)>,
    captured: Vec<(Section, String)>,
    quote_depth: u32,
    /// A bold label in the document-information block, then its field and value.
    strong: Option<String>,
    field: Option<(String, String)>,
    /// The links open around the text: their address, none for an autolink.
    links: Vec<Option<String>>,
}

impl Reader {
    /// The text an event adds: in a cell, a heading, a document-information field, a section.
    fn text_of(&mut self, event: &Event) -> Option<String> {
        match event {
            Event::Text(t) | Event::Code(t) => Some(t.to_string()),
            Event::SoftBreak => Some(" ".into()),
            Event::HardBreak => Some("\n".into()),
            // `<br>` is a new line; other markup stays as it was written.
            Event::InlineHtml(html) if html.trim_start().to_lowercase().starts_with("<br") => {
                Some("\n".into())
            }
            Event::InlineHtml(html) => Some(html.to_string()),
            // A link keeps its address, written as Markdown again; an autolink is its address.
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let written = !matches!(link_type, LinkType::Autolink | LinkType::Email);
                self.links.push(written.then(|| dest_url.to_string()));
                written.then(|| "[".to_owned())
            }
            Event::End(TagEnd::Link) => self.links.pop().flatten().map(|url| format!("]({url})")),
            _ => None,
        }
    }

    /// Where the text of what follows goes, as the document's structure opens and closes.
    fn structure(&mut self, event: &Event) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.finish_field();
                if self.capture.as_ref().is_some_and(|(_, at, _)| level <= at) {
                    self.end_section();
                }
                self.heading_text = Some(String::new());
            }
            Event::End(TagEnd::Heading(level)) => self.heading(*level),
            Event::Start(Tag::BlockQuote(_)) => self.quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => {
                self.finish_field();
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            Event::Start(Tag::Strong) if self.quote_depth > 0 && self.table.is_none() => {
                self.finish_field();
                self.strong = Some(String::new());
            }
            Event::End(TagEnd::Strong) => {
                if let Some(key) = self.strong.take()
                    && key.trim_end().ends_with(':')
                {
                    self.field = Some((key, String::new()));
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) => self.add_to_section("\n\n"),
            Event::Start(Tag::Item) => self.add_to_section("- "),
            _ => self.table_structure(event),
        }
    }

    fn table_structure(&mut self, event: &Event) {
        match event {
            Event::Start(Tag::Table(_)) => {
                self.table = Some(Table {
                    heading: self.last_heading.clone(),
                    ..Table::default()
                })
            }
            Event::Start(Tag::TableHead) | Event::End(TagEnd::TableHead) => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = matches!(event, Event::Start(_));
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(Vec::new());
                }
            }
            Event::Start(Tag::TableCell) => self.cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(t), Some(text)) = (self.table.as_mut(), self.cell.take()) {
                    let text = text.trim().to_owned();
                    if t.in_head {
                        t.header.push(text);
                    } else if let Some(row) = t.rows.last_mut() {
                        row.push(text);
                    }
                }
            }
            Event::End(TagEnd::Table) => self.tables.extend(self.table.take()),
            _ => {}
        }
    }

    /// A heading read: it opens a section whose text is kept, or is part of the one open.
    fn heading(&mut self, level: HeadingLevel) {
        let heading = self.heading_text.take().unwrap_or_default();
        self.last_heading = heading.trim().to_owned();
        if let Some(found) = section(&self.last_heading) {
            self.end_section();
            self.capture = Some((found, level, String::new()));
        } else {
            // A sub-heading inside a section is part of its text.
            self.add_to_section(&heading);
            self.add_to_section("\n\n");
        }
    }

    fn add_to_section(&mut self, text: &str) {
        if let Some((_, _, captured)) = self.capture.as_mut() {
            captured.push_str(text);
        }
    }

    fn end_section(&mut self) {
        self.captured.extend(
            self.capture
                .take()
                .map(|(section, _, text)| (section, text)),
        );
    }

    /// Text lands in the innermost thing open.
    fn land(&mut self, text: &str) {
        if let Some(cell) = self.cell.as_mut() {
            cell.push_str(text);
        } else if let Some(heading) = self.heading_text.as_mut() {
            heading.push_str(text);
        } else if let Some(key) = self.strong.as_mut() {
            key.push_str(text);
        } else if let Some((_, value)) = self.field.as_mut() {
            if text == "\n" {
                self.finish_field();
            } else {
                value.push_str(text);
            }
        } else {
            self.add_to_section(text);
        }
    }

    /// A document-information field read: its value kept where the label says.
    fn finish_field(&mut self) {
        let Some((key, value)) = self.field.take() else {
            return;
        };
        let value = value.trim().to_owned();
        let key = key.trim_end_matches(':').trim().to_lowercase();
        let report = &mut self.report;
        // The generated reports name the evaluation template's version; the hand-edited
        // ones the self-assessment's (*governancerapport*) they rest on.
        let slot = if key.starts_with("version for anvendt evalueringsskabelon")
            || key.starts_with("evalueringsskabelon version")
        {
            &mut report.template_version
        } else if key.starts_with("version for anvendt governancerapport") {
            &mut report.governance_report_version
        } else if key.starts_with("dato for udfyldelse") {
            &mut report.date
        } else if key.starts_with("evaluering lavet af") || key.starts_with("udfyldt af") {
            &mut report.evaluator
        } else if key.starts_with("link til git") {
            &mut report.repository
        } else {
            return;
        };
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value);
        }
    }

    /// The sections' texts and the tables, read; every problem listed.
    fn finish(mut self) -> Result<ReadReport, Vec<ReportError>> {
        self.end_section();
        let mut report = self.report;
        for (which, text) in self.captured {
            let slot = match which {
                Section::Summary => &mut report.summary,
                Section::Assessment => &mut report.assessment,
                Section::Recommendation => &mut report.recommendation,
            };
            if slot.is_empty() {
                *slot = text.trim().to_owned();
            }
        }
        report.stated_in_prose = [&report.summary, &report.assessment, &report.recommendation]
            .into_iter()
            .flat_map(|text| prose_counts(text))
            .collect();
        let mut errors = Vec::new();
        for table in &self.tables {
            let first = table
                .header
                .first()
                .map(|h| h.to_lowercase())
                .unwrap_or_default();
            if first.starts_with("niveau / vurdering") {
                read_level_counts(table, &mut report, &mut errors);
            } else if first.starts_with("tema / niveau") {
                read_theme_counts(table, &mut report, &mut errors);
            } else if table.header.iter().any(|h| h == "Vurderingsgrundlag") {
                read_marks(table, &mut report, &mut errors);
            }
        }
        if report.lines.is_empty() && errors.is_empty() {
            errors.push(ReportError::NoMarks);
        }
        if errors.is_empty() {
            Ok(report)
        } else {
            Err(errors)
        }
    }
}

/// The position of the column headed `name` (the `#` column may be written `\#`).
fn column(table: &Table, names: &[&str]) -> Option<usize> {
    table.header.iter().position(|h| {
        let h = h.trim_start_matches('\\').trim();
        names.iter().any(|name| h.eq_ignore_ascii_case(name))
    })
}

fn read_marks(table: &Table, report: &mut ReadReport, errors: &mut Vec<ReportError>) {
    let Some(theme) = theme_of(&table.heading) else {
        errors.push(ReportError::UnknownTheme {
            heading: table.heading.clone(),
        });
        return;
    };
    let mut find = |names: &[&str]| {
        let found = column(table, names);
        if found.is_none() {
            errors.push(ReportError::MissingColumn {
                heading: table.heading.clone(),
                column: names[0].to_owned(),
            });
        }
        found
    };
    let (Some(id), Some(level), Some(mark), Some(basis)) = (
        find(&["#"]),
        find(&["Niveau", "Produktniveau"]),
        find(&["Vurdering"]),
        find(&["Vurderingsgrundlag"]),
    ) else {
        return;
    };
    for row in &table.rows {
        let text = |i: usize| row.get(i).cloned().unwrap_or_default();
        let key = text(id);
        if key.is_empty() {
            continue;
        }
        let Some(read_level) = level_of(&text(level)) else {
            errors.push(ReportError::UnknownLevel {
                id: key,
                cell: text(level),
            });
            continue;
        };
        let Some(read_mark) = mark_of(&text(mark)) else {
            errors.push(ReportError::UnknownMark {
                id: key,
                cell: text(mark),
            });
            continue;
        };
        if report.lines.iter().any(|line| line.id == key) {
            errors.push(ReportError::MarkedTwice { id: key });
            continue;
        }
        report.lines.push(ReadLine {
            level: read_level,
            theme,
            mark: read_mark,
            basis: text(basis),
            columns: table
                .header
                .iter()
                .enumerate()
                .map(|(i, header)| (header.trim_start_matches('\\').to_owned(), text(i)))
                .collect(),
            id: key,
        });
    }
}

fn read_level_counts(table: &Table, report: &mut ReadReport, errors: &mut Vec<ReportError>) {
    let mut levels = Vec::new();
    for row in &table.rows {
        let name = row.first().cloned().unwrap_or_default();
        let numbers: Option<Vec<u32>> = row.iter().skip(1).map(|c| c.trim().parse().ok()).collect();
        let tally = match numbers.as_deref() {
            Some([green, yellow, red, grey]) => Tally {
                green: *green,
                yellow: *yellow,
                red: *red,
                grey: *grey,
            },
            _ => {
                errors.push(ReportError::UnreadableCount {
                    row: name,
                    cell: row.join(" | "),
                });
                continue;
            }
        };
        if name.trim().eq_ignore_ascii_case("total") {
            report.stated_total = Some(tally);
        } else if let Some(level) = level_of(&name) {
            levels.push((level, tally));
        } else {
            errors.push(ReportError::UnreadableCount {
                row: name.clone(),
                cell: name,
            });
        }
    }
    report.stated_levels = Some(levels);
}

fn read_theme_counts(table: &Table, report: &mut ReadReport, errors: &mut Vec<ReportError>) {
    let levels: Vec<Option<Level>> = table.header.iter().skip(1).map(|h| level_of(h)).collect();
    let mut themes = Vec::new();
    for row in &table.rows {
        let name = row.first().cloned().unwrap_or_default();
        let theme = theme_of(&name);
        let is_total = name.trim().eq_ignore_ascii_case("total");
        if theme.is_none() && !is_total {
            errors.push(ReportError::UnreadableCount {
                row: name.clone(),
                cell: name,
            });
            continue;
        }
        let mut per_level = Vec::new();
        let mut total = None;
        for (i, cell) in row.iter().skip(1).enumerate() {
            let Some(tally) = tally_of(cell) else {
                errors.push(ReportError::UnreadableCount {
                    row: name.clone(),
                    cell: cell.clone(),
                });
                continue;
            };
            match levels.get(i).copied().flatten() {
                Some(level) => per_level.push((level, tally)),
                None => total = Some(tally),
            }
        }
        match theme {
            Some(theme) => themes.push((theme, per_level, total.unwrap_or_default())),
            None => report.stated_theme_totals = Some((per_level, total.unwrap_or_default())),
        }
    }
    report.stated_themes = Some(themes);
}

/// Where a report's own count tables disagree with the marks read from its theme tables.
pub fn check_counts(report: &ReadReport) -> Vec<ReportError> {
    let counts = evaluation::count(&report.lines.iter().map(Marked::from).collect::<Vec<_>>());
    let mut errors = Vec::new();
    let mut compare = |what: String, stated: &Tally, counted: &Tally| {
        for (mark, name, _) in COLOURS {
            let (stated, counted) = (of(stated, mark), of(counted, mark));
            if stated != counted {
                errors.push(ReportError::CountDiffers {
                    what: format!("{what} {} {name}", emoji(mark)),
                    stated,
                    counted,
                });
            }
        }
    };
    let counted_level = |level: Level| {
        counts
            .per_level
            .iter()
            .find(|(l, _)| *l == level)
            .map(|(_, t)| *t)
            .unwrap_or_default()
    };
    for (level, stated) in report.stated_levels.iter().flatten() {
        compare(
            level_name(*level).to_owned(),
            stated,
            &counted_level(*level),
        );
    }
    if let Some(stated) = &report.stated_total {
        compare("Total".into(), stated, &counts.total);
    }
    if let Some((levels, total)) = &report.stated_theme_totals {
        for (level, stated) in levels {
            compare(
                format!("Tema-total × {}", level_name(*level)),
                stated,
                &counted_level(*level),
            );
        }
        compare("Tema-total".into(), total, &counts.total);
    }
    for (theme, levels, total) in report.stated_themes.iter().flatten() {
        let Some((_, counted_levels, counted_total)) =
            counts.per_theme.iter().find(|(t, _, _)| t == theme)
        else {
            continue;
        };
        for (level, stated) in levels {
            let counted = counted_levels
                .iter()
                .find(|(l, _)| l == level)
                .map(|(_, t)| *t)
                .unwrap_or_default();
            compare(
                format!("{} × {}", theme_name(*theme), level_name(*level)),
                stated,
                &counted,
            );
        }
        compare(
            format!("{} total", theme_name(*theme)),
            total,
            counted_total,
        );
    }
    for prose in &report.stated_in_prose {
        let stated = [
            ("krav i alt", Some(prose.of), counts.total.total()),
            ("grønne", prose.green, counts.total.green),
            ("gule", prose.yellow, counts.total.yellow),
            ("røde", prose.red, counts.total.red),
            ("grå", prose.grey, counts.total.grey),
        ];
        for (what, stated, counted) in stated {
            if let Some(stated) = stated.filter(|n| *n != counted) {
                errors.push(ReportError::ProseDiffers {
                    sentence: prose.sentence.clone(),
                    what: what.into(),
                    stated,
                    counted,
                });
            }
        }
    }
    errors
}

const LEGEND: &str = "## Hvad betyder trafiklysene?\n\
- 🟢 **Grøn** → Kravet er fuldt opfyldt og fungerer som forventet.\n\
- 🟡 **Gul** → Kravet er planlagt eller delvist opfyldt, men der er mangler, som bør adresseres.\n\
- 🔴 **Rød** → Kravet er ikke opfyldt, ukendt eller der er behov for handling.\n\
- ⚪ **Grå** → Kravet er ikke relevant og medtages ikke i vurderingen.\n";

#[cfg(test)]
mod tests {
    use os2pm_levels::Catalogue;
    use os2pm_levels::styringsmodel::Checklist;

    use super::*;
    use crate::template;

    /// A product evaluated against the whole 2025 checklist, every colour used.
    fn fixture() -> Report {
        let checklist = Checklist::styringsmodel_2025().unwrap_or_else(|e| panic!("{e:?}"));
        let catalogue = checklist
            .to_catalogue(&Catalogue::os2_2016().unwrap_or_else(|e| panic!("{e:?}")))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let marks = [
            Mark::Green,
            Mark::Green,
            Mark::Yellow,
            Mark::Red,
            Mark::Grey,
        ];
        let lines = catalogue
            .requirements
            .iter()
            .zip(&checklist.items)
            .enumerate()
            .map(|(i, (requirement, item))| {
                let mark = marks[i % marks.len()];
                Line {
                    id: requirement.key.clone(),
                    level: requirement.level,
                    theme: requirement.theme,
                    requirement: requirement.title_da.clone(),
                    criterion: format!("Standard: {}", item.guideline),
                    mark,
                    basis: match mark {
                        Mark::Green => format!("https://github.com/OS2eksempel#{}", item.id),
                        Mark::Yellow => "Delvist beskrevet | mangler driftsdelen\nSe README".into(),
                        Mark::Red => crate::evaluation::NO_DATA.into(),
                        Mark::Grey => "Ikke relevant for produktet".into(),
                    },
                    columns: Vec::new(),
                }
            })
            .collect();
        Report {
            product: "OS2eksempel".into(),
            template_version: template::CURRENT.into(),
            date: "01-12-2026".into(),
            evaluator: "Forretningslederen, OS2".into(),
            repository: Some("https://github.com/OS2eksempel".into()),
            summary: "OS2eksempel er et lille, veldrevet produkt.".into(),
            assessment: "Samlet er 18 af 43 krav vurderet grønne.".into(),
            recommendation: "Sekretariatet anbefaler, at OS2eksempel placeres på niveau 1.".into(),
            lines,
        }
    }

    /// The golden file is the report as it should be published; after an intended change to
    /// the layout, write it again with `UPDATE_GOLDEN=1` and read the difference.
    #[test]
    fn a_fixture_evaluation_renders_as_the_golden_report() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/golden/evalueringsrapport.md"
        );
        let rendered = to_markdown(&fixture());
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(path, &rendered).unwrap_or_else(|e| panic!("{e:?}"));
        }
        let golden = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rendered, golden);
    }

    #[test]
    fn a_generated_report_reads_back_with_the_same_marks_and_counts() {
        let fixture = fixture();
        let read = read(&to_markdown(&fixture)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read.template_version.as_deref(), Some(template::CURRENT));
        assert_eq!(read.date.as_deref(), Some("01-12-2026"));
        assert_eq!(read.evaluator.as_deref(), Some("Forretningslederen, OS2"));
        assert_eq!(
            read.repository.as_deref(),
            Some("https://github.com/OS2eksempel")
        );
        assert_eq!(read.summary, fixture.summary);
        assert_eq!(read.assessment, fixture.assessment);
        assert_eq!(read.recommendation, fixture.recommendation);
        assert_eq!(read.lines.len(), fixture.lines.len());
        for (read, written) in read.lines.iter().zip(&fixture.lines) {
            assert_eq!(
                (&read.id, read.level, read.theme, read.mark, &read.basis),
                (
                    &written.id,
                    written.level,
                    written.theme,
                    written.mark,
                    &written.basis
                )
            );
            assert_eq!(
                read.columns[2],
                ("Krav".to_owned(), written.requirement.clone())
            );
        }
        assert_eq!(
            read.stated_levels
                .as_ref()
                .unwrap_or_else(|| panic!("no stated levels"))
                .len(),
            4
        );
        assert_eq!(
            read.stated_themes
                .as_ref()
                .unwrap_or_else(|| panic!("no stated themes"))
                .len(),
            4
        );
        assert_eq!(check_counts(&read), []);
    }

    #[test]
    fn a_report_whose_tables_do_not_add_up_is_told_where() {
        let markdown = to_markdown(&fixture()).replace(
            "| Niveau 2 | 8 | 4 | 4 | 3 |",
            "| Niveau 2 | 9 | 4 | 4 | 3 |",
        );
        let read = read(&markdown).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            check_counts(&read),
            [ReportError::CountDiffers {
                what: "Niveau 2 🟢 Grøn".into(),
                stated: 9,
                counted: 8
            }]
        );
    }

    /// The hand-edited layout: nine columns, `\#`, `Produktniveau`, totals in prose only.
    #[test]
    fn a_hand_edited_report_with_nine_columns_reads_by_its_headers() {
        let markdown = "# Evaluering af OS2eksempel\n\n\
            > **📄 Dokumentinformation**<br />\n\
            **Version for anvendt governancerapport:** 1.1.0<br />\n\
            **Dato for udfyldelse:** 2026-09-29<br />\n\
            **Udfyldt af:** Sekretariatet<br />\n\
            **Link til Git organisation:** <https://github.com/os2eksempel><br />\n\n\
            ## Resumé\n\nSamlet er 1 af 2 krav vurderet grønne.\n\n\
            ## Anbefalinger\n\n### Anbefaling til bestyrelsen\n\nNiveau 2.\n\n\
            # Evalueringen\n\n## RELEVANS\n\n\
            | \\#  | Krav | Produktniveau | Retningslinjer | Efterlevet? | Dokumentation | Vurdering | Vurderingsgrundlag | Anbefaling |\n\
            |----|----|----|----|----|----|----|----|----|\n\
            | R1 | Lokal værdi | sandkasse | Beskriv værdien | Ja | Stor værdi | 🟢 | Bevist. | |\n\
            | R4 | Strategier | 3 | Henvis | Ja | KL's strategi | 🟡 | Mangler dokumentation. | Beskriv<br /><br />målene |\n";
        let read = read(markdown).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            read.template_version, None,
            "it names no evaluation template"
        );
        assert_eq!(read.governance_report_version.as_deref(), Some("1.1.0"));
        assert_eq!(read.evaluator.as_deref(), Some("Sekretariatet"));
        assert_eq!(
            read.repository.as_deref(),
            Some("https://github.com/os2eksempel")
        );
        assert_eq!(read.summary, "Samlet er 1 af 2 krav vurderet grønne.");
        assert_eq!(
            read.recommendation,
            "Anbefaling til bestyrelsen\n\nNiveau 2."
        );
        assert_eq!(read.lines.len(), 2);
        let r4 = &read.lines[1];
        assert_eq!(
            (r4.id.as_str(), r4.level, r4.mark),
            ("R4", Level::N3, Mark::Yellow)
        );
        assert_eq!(r4.basis, "Mangler dokumentation.");
        assert_eq!(r4.columns.len(), 9);
        assert_eq!(r4.columns[0], ("#".to_owned(), "R4".to_owned()));
        assert_eq!(
            r4.columns[8],
            ("Anbefaling".to_owned(), "Beskriv\n\nmålene".to_owned())
        );
        assert_eq!(read.stated_levels, None, "totals in prose only");
        assert_eq!(
            read.stated_in_prose,
            [ProseCount {
                sentence: "Samlet er 1 af 2 krav vurderet grønne".into(),
                of: 2,
                green: Some(1),
                ..ProseCount::default()
            }]
        );
        assert_eq!(check_counts(&read), []);
        let wrong = super::read(&markdown.replace("1 af 2 krav", "2 af 3 krav"))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            check_counts(&wrong),
            [
                ReportError::ProseDiffers {
                    sentence: "Samlet er 2 af 3 krav vurderet grønne".into(),
                    what: "krav i alt".into(),
                    stated: 3,
                    counted: 2
                },
                ReportError::ProseDiffers {
                    sentence: "Samlet er 2 af 3 krav vurderet grønne".into(),
                    what: "grønne".into(),
                    stated: 2,
                    counted: 1
                }
            ]
        );
    }

    /// The sentence the hand-edited reports count in, every colour in its Danish forms; other
    /// sentences with numbers are not counts.
    #[test]
    fn counts_in_prose_are_read_colour_by_colour() {
        let counts = prose_counts(
            "Produktet er ca. 10 år gammelt. Samlet er 20 af 43 krav vurderet grønne, 16 gule, \
             6 røde og 1 gråt. 3 af 5 krav er gult; Ingen røde og 2 grå ud af 4 af 9 krav: 1 grønt",
        );
        let stated: Vec<_> = counts
            .iter()
            .map(|c| (c.of, c.green, c.yellow, c.red, c.grey))
            .collect();
        assert_eq!(
            stated,
            [
                (43, Some(20), Some(16), Some(6), Some(1)),
                (5, None, Some(3), None, None),
                (9, Some(1), None, None, None),
            ]
        );
        assert_eq!(prose_counts("Ingen krav er talt. 20 krav af 43."), []);
        // The count starts at "N af M krav", not at a near miss before it.
        let near = prose_counts(
            "3 af 5 gule, 2 af 4 krav grønne. I alt 43 krav, heraf 2 af 3 krav grønne",
        );
        let stated: Vec<_> = near.iter().map(|c| (c.of, c.green)).collect();
        assert_eq!(stated, [(4, Some(2)), (3, Some(2))]);
    }

    /// The layout and marks of the association's published OS2rollekatalog report (2026-09-25),
    /// with texts of our own: see tests/fixtures/README.md.
    const HAND_EDITED: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/evaluations/hand-edited-nine-columns.md"
    ));

    #[test]
    fn a_hand_edited_report_is_read_checked_and_written_again_in_its_own_layout() {
        let read = read(HAND_EDITED).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read.lines.len(), 43, "the empty row is no line");
        assert_eq!(check_counts(&read), []);
        let lines: Vec<_> = read
            .lines
            .iter()
            .map(|l| (l.id.as_str(), l.level, l.theme))
            .collect();
        let template = crate::template::Template::find(crate::template::CURRENT)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(template.check(&lines), []);
        let counts = evaluation::count(&read.lines.iter().map(Marked::from).collect::<Vec<_>>());
        assert_eq!(
            counts.total,
            Tally {
                green: 20,
                yellow: 16,
                red: 6,
                grey: 1
            }
        );
        assert_eq!(read.stated_in_prose.len(), 1);
        assert_eq!(read.stated_in_prose[0].grey, Some(1));
        assert!(
            read.recommendation
                .contains("forudsætter ikke, at alle krav")
        );
        let f21 = read
            .lines
            .iter()
            .find(|l| l.id == "F21")
            .unwrap_or_else(|| panic!("no line F21"));
        assert_eq!((f21.mark, f21.columns.len()), (Mark::Grey, 9));
        let r4 = read
            .lines
            .iter()
            .find(|l| l.id == "R4")
            .unwrap_or_else(|| panic!("no line R4"));
        assert_eq!(
            r4.columns[8].1,
            "Henvis direkte til dokumentationen.\nSe også [vejledningen](https://example.org/os2/vejledning).",
            "a link keeps its address"
        );
        assert_eq!(
            read.repository.as_deref(),
            Some("https://github.com/os2eksempel")
        );

        let again = to_markdown(&Report {
            product: "OS2eksempel".into(),
            template_version: template.version.clone(),
            date: "29-09-2026".into(),
            evaluator: "OS2-sekretariatet".into(),
            repository: None,
            summary: read.summary.clone(),
            assessment: read.assessment.clone(),
            recommendation: read.recommendation.clone(),
            lines: read
                .lines
                .iter()
                .map(|l| Line {
                    id: l.id.clone(),
                    level: l.level,
                    theme: l.theme,
                    requirement: String::new(),
                    criterion: String::new(),
                    mark: l.mark,
                    basis: l.basis.clone(),
                    columns: l.columns.clone(),
                })
                .collect(),
        });
        assert!(again.contains("| # | Krav | Produktniveau | Retningslinjer | Efterlevet? |"));
        let read_again = super::read(&again).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            read_again.lines, read.lines,
            "the same tables, every column"
        );
        assert_eq!(check_counts(&read_again), []);
    }

    /// A line read from a report and adjusted since is written with its mark and basis as
    /// recorded, over the columns it was read with.
    #[test]
    fn a_layout_as_read_writes_the_recorded_mark_and_basis() {
        let columns = |mark: &str, basis: &str| {
            [
                ("#", "R1"),
                ("Produktniveau", "sandkasse"),
                ("Vurdering", mark),
                ("Vurderingsgrundlag", basis),
            ]
            .map(|(h, t)| (h.to_owned(), t.to_owned()))
            .to_vec()
        };
        let line = Line {
            id: "R1".into(),
            level: Level::Sandbox,
            theme: Theme::Relevance,
            requirement: String::new(),
            criterion: String::new(),
            mark: Mark::Green,
            basis: "Nu dokumenteret.".into(),
            columns: columns("🔴", "Ikke dokumenteret."),
        };
        let mut out = String::new();
        theme_table_as_read(
            &mut out,
            &read_layout(&[&line]).unwrap_or_else(|| panic!("no layout")),
            &[&line],
        );
        assert_eq!(
            out,
            "| # | Produktniveau | Vurdering | Vurderingsgrundlag |\n|---|---|---|---|\n\
             | R1 | sandkasse | 🟢 | Nu dokumenteret. |\n"
        );
    }

    /// Text as the sections and cells hold it: line breaks, lists, emphasis and markup kept;
    /// a bold label outside the document block is text; other tables are not marks.
    #[test]
    fn sections_and_cells_keep_their_text() {
        let markdown = "> **Dato for udfyldelse:** 2026-09-29<br/>\n\
            > **Link til Git organisation:**<br/>\n\n\
            ## Resumé\n\nEn linje\nog den næste.\\\nEfter et linjeskift.\n\n\
            **Bemærk:** vurderet i *juli*.\n\n\
            ## Anbefalinger\n\nFørst:\n\n- dokumentation\n- sikkerhed\n\n\
            ## Versionshistorik\n\n| Version | Dato |\n|---|---|\n| 1.0 | 2026-09-29 |\n\n\
            ## RELEVANS\n\n| # | Niveau | Vurdering | Vurderingsgrundlag |\n|---|---|---|---|\n\
            | R1 | Sandkasse | 🟢 | Se <sup>1</sup> og `README` |\n";
        let read = read(markdown).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read.date.as_deref(), Some("2026-09-29"));
        assert_eq!(read.repository, None, "an empty field is no value");
        assert_eq!(
            read.summary,
            "En linje og den næste.\nEfter et linjeskift.\n\nBemærk: vurderet i juli."
        );
        assert_eq!(
            read.recommendation,
            "Først:\n\n- dokumentation\n\n- sikkerhed"
        );
        assert_eq!(read.lines.len(), 1);
        assert_eq!(read.lines[0].basis, "Se <sup>1</sup> og README");
    }

    /// Count tables as the hand-edited reports write them: bold totals, right-aligned columns,
    /// a total row in the theme table, a comment about the charts.
    #[test]
    fn hand_written_count_tables_are_read_and_checked_with_their_total_rows() {
        let markdown = "## RELEVANS\n\n| \\# | Krav | Produktniveau | Vurdering | Vurderingsgrundlag |\n\
            |---|---|---|---|---|\n\
            | R1 | Lokal værdi | sandkasse | 🟢 | Bevist. |\n| R4 | Strategier | 3 | 🟡 | Mangler. |\n\n\
            # Optælling af vurderinger pr. niveau og tema\n\n\
            | Niveau / Vurdering | 🟢 Grøn | 🟡 Gul | 🔴 Rød | ⚪ Grå |\n\
            |--------------------|--------:|-------:|-------:|------:|\n\
            | Sandkasse          |       1 |      0 |      0 |     0 |\n\
            | Niveau 1           |       0 |      0 |      0 |     0 |\n\
            | Niveau 2           |       0 |      0 |      0 |     0 |\n\
            | Niveau 3           |       0 |      1 |      0 |     0 |\n\
            | **Total**              |      **1** |     **1** |      **0** |     **0** |\n\n\
            | Tema / Niveau | Sandkasse | Niveau 1 | Niveau 2 | Niveau 3 | Total |\n\
            |---|---|---|---|---|---|\n\
            | Relevans | 🟢 1 🟡 0 🔴 0 ⚪ 0 | 🟢 0 🟡 0 🔴 0 ⚪ 0 | 🟢 0 🟡 0 🔴 0 ⚪ 0 | 🟢 0 🟡 1 🔴 0 ⚪ 0 | 🟢 1 🟡 1 🔴 0 ⚪ 0 |\n\
            | **Total** | 🟢 1 🟡 0 🔴 0 ⚪ 0 | 🟢 0 🟡 0 🔴 0 ⚪ 0 | 🟢 0 🟡 0 🔴 0 ⚪ 0 | 🟢 0 🟡 1 🔴 0 ⚪ 0 | 🟢 1 🟡 1 🔴 0 ⚪ 0 |\n\n\
            <!--\nMermaid farver\n\\-->\n";
        let read = read(markdown).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read.lines.len(), 2);
        assert_eq!(
            read.stated_total,
            Some(Tally {
                green: 1,
                yellow: 1,
                red: 0,
                grey: 0
            })
        );
        assert_eq!(
            read.stated_theme_totals
                .as_ref()
                .unwrap_or_else(|| panic!("no stated theme totals"))
                .1
                .total(),
            2
        );
        assert_eq!(check_counts(&read), []);
        let wrong = markdown.replace(
            "| **Total** | 🟢 1 🟡 0 🔴 0 ⚪ 0 | 🟢 0",
            "| **Total** | 🟢 2 🟡 0 🔴 0 ⚪ 0 | 🟢 0",
        );
        assert_eq!(
            check_counts(&super::read(&wrong).unwrap_or_else(|e| panic!("{e:?}"))),
            [ReportError::CountDiffers {
                what: "Tema-total × Sandkasse 🟢 Grøn".into(),
                stated: 2,
                counted: 1
            }]
        );
        let wrong_total = markdown.replace("**1** |     **1**", "**1** |     **2**");
        assert_eq!(
            check_counts(&super::read(&wrong_total).unwrap_or_else(|e| panic!("{e:?}"))).len(),
            1
        );
        let unknown_row = markdown.replace("| Relevans |", "| Økonomi |");
        assert_eq!(
            super::read(&unknown_row).unwrap_err(),
            [ReportError::UnreadableCount {
                row: "Økonomi".into(),
                cell: "Økonomi".into()
            }]
        );
    }

    #[test]
    fn marks_and_levels_that_cannot_be_read_are_all_listed() {
        let markdown = "## RELEVANS\n\n| # | Niveau | Krav | Vurderingskriterie | Vurdering | Vurderingsgrundlag |\n\
            |---|---|---|---|---|---|\n\
            | R1 | Sandkasse | a | b | grøn | c |\n| R2 | 7 | a | b | 🟢 | c |\n\n\
            ## ØKONOMI\n\n| # | Niveau | Vurdering | Vurderingsgrundlag |\n|---|---|---|---|\n| X1 | 1 | 🟢 | d |\n";
        assert_eq!(
            read(markdown).unwrap_err(),
            [
                ReportError::UnknownMark {
                    id: "R1".into(),
                    cell: "grøn".into()
                },
                ReportError::UnknownLevel {
                    id: "R2".into(),
                    cell: "7".into()
                },
                ReportError::UnknownTheme {
                    heading: "ØKONOMI".into()
                },
            ]
        );
        assert_eq!(read("# Intet\n").unwrap_err(), [ReportError::NoMarks]);
    }

    #[test]
    fn shares_are_rounded_as_the_reports_round_them() {
        assert_eq!(percent(5, 8), 63);
        assert_eq!(percent(1, 8), 13);
        assert_eq!(percent(4, 6), 67);
        assert_eq!(percent(12, 19), 63);
        assert_eq!(percent(3, 19), 16);
        assert_eq!(percent(0, 0), 0);
    }

    #[test]
    fn a_cell_keeps_its_text_on_one_line() {
        assert_eq!(cell(" a | b\nc "), "a \\| b<br/>c");
    }

    #[test]
    fn the_largest_slice_comes_first_and_ties_keep_the_colours_order() {
        let mut out = String::new();
        let tally = Tally {
            green: 2,
            yellow: 1,
            red: 5,
            grey: 0,
        };
        pie(&mut out, "Niveau 3", &tally);
        assert_eq!(
            out,
            "```mermaid\n%%{init: {\"themeVariables\": {\n\t\"pie1\": \"#FF0000\", \t\"pie2\": \
             \"#008000\", \t\"pie3\": \"#FFFF00\", \t\"pie4\": \"#808080\"\n}}}%%\npie showData\n\
             \ttitle Niveau 3 (8 krav)\n\t\"Rød 63%\" : 5\n\t\"Grøn 25%\" : 2\n\t\"Gul 13%\" : 1\n\
             \t\"Grå 0%\" : 0\n```\n\n"
        );
    }
}
