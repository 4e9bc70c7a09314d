extension ReportDocument {
    /// The page's only style sheet: cards and sections in one column on a phone, figures in a grid
    /// that widens with the screen; on paper, A4 with margins, no backgrounds, nothing cut across
    /// a page break that can be kept whole.
    static let style = """
        *{box-sizing:border-box}html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\
        body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d1d1f;background:#f4f4f2}\
        main{max-width:960px;margin:0 auto;padding:12px}header{padding:4px 2px 6px}\
        h1{font-size:24px;line-height:1.2;margin:0 0 6px;overflow-wrap:anywhere}h2{font-size:20px;line-height:1.25;margin:0 0 10px}\
        .meta{margin:0;color:#55555a;font-size:14px;overflow-wrap:anywhere}.meta b{color:#1d1d1f;font-weight:600}\
        .lang{text-align:right;font-size:14px;margin:0 0 4px}a{color:#0b57d0}\
        nav ol{margin:8px 0 0;padding-left:22px;font-size:15px}\
        .figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(148px,1fr));gap:10px;margin:14px 0;padding:0;list-style:none}\
        .figure{background:#fff;border:1px solid #dcdce0;border-radius:12px;padding:10px 12px}\
        .figure .label{display:block;font-size:14px;color:#3a3a3f;line-height:1.3}\
        .figure .value{display:block;font-size:22px;font-weight:700;line-height:1.25;margin-top:2px;font-variant-numeric:tabular-nums;white-space:nowrap}\
        .figure ul{margin:4px 0 0;padding:0;list-style:none;font-size:13px;color:#55555a}\
        section{background:#fff;border:1px solid #dcdce0;border-radius:12px;padding:14px 12px;margin:14px 0}\
        figure.chart{margin:10px 0 16px}figure.chart svg{display:block;width:100%;max-width:560px;height:auto}\
        .table{overflow-x:auto;margin:10px 0}table{border-collapse:collapse;width:100%;font-size:14px}\
        caption{text-align:left;font-weight:600;padding:0 0 6px}\
        th,td{padding:6px 8px;border-bottom:1px solid #e2e2e5;text-align:left;vertical-align:top;overflow-wrap:break-word}\
        th{background:#f4f4f2;font-weight:600}th:first-child,td:first-child{min-width:7.5em}.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}\
        p.note{font-size:15px;margin:8px 0}footer{font-size:13px;color:#55555a;padding:8px 2px 24px}\
        @media print{@page{size:A4;margin:14mm 12mm}body{background:#fff;font-size:10.5pt}main{max-width:none;padding:0}\
        .lang,nav{display:none}a{color:inherit;text-decoration:none}.figures{grid-template-columns:repeat(4,1fr);gap:6px}\
        .figure{border-color:#999;border-radius:4px}section{border:0;border-top:1px solid #999;border-radius:0;padding:6px 0;margin:8px 0}\
        h2{break-after:avoid-page}figure.chart,.table,p.note{break-before:avoid-page}\
        figure.chart,.figure,.table,tr{break-inside:avoid}figure.chart svg{max-width:120mm}thead{display:table-header-group}\
        .table{overflow:visible}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
        """

    /// The whole page in `language`.
    public func html(_ language: Language) -> String {
        var page = "<!doctype html><html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\">"
        page += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"color-scheme\" content=\"light\">"
        page += "<title>" + (title.text(language) + (scope.map { " · " + $0 } ?? "")).markupEscaped + "</title>"
        page += "<style>" + ReportDocument.style + "</style></head><body><main>"
        if let otherLanguageFile {
            let other: Language = language == .vi ? .en : .vi
            page += "<p class=\"lang\"><a href=\"\(otherLanguageFile.markupEscaped)\" hreflang=\"\(other.rawValue)\" lang=\"\(other.rawValue)\">"
                + ReportText.languageName.text(other).markupEscaped + "</a></p>"
        }
        page += "<header><h1>" + title.text(language).markupEscaped + "</h1>"
        var meta: [(ReportText, String)] = []
        if let scope { meta.append((.scope, scope)) }
        meta.append((.period, period.text(language)))
        if let generated { meta.append((.generated, generated)) }
        for (label, value) in meta {
            page += "<p class=\"meta\">" + label.text(language).markupEscaped + ": <b>" + value.markupEscaped + "</b></p>"
        }
        if sections.count > 1 {
            page += "<nav aria-label=\"" + ReportText.contents.text(language).markupEscaped + "\"><ol>"
            for section in sections {
                page += "<li><a href=\"#\(section.id.reportAnchor(fallback: "section"))\">" + section.title.text(language).markupEscaped + "</a></li>"
            }
            page += "</ol></nav>"
        }
        page += "</header>"
        if !figures.isEmpty {
            page += "<h2>" + ReportText.headlineFigures.text(language).markupEscaped + "</h2><ul class=\"figures\">"
            for figure in figures { page += card(figure, language) }
            page += "</ul>"
        }
        for section in sections {
            page += "<section id=\"\(section.id.reportAnchor(fallback: "section"))\"><h2>" + section.title.text(language).markupEscaped + "</h2>"
            for block in section.blocks {
                switch block {
                case .chart(let chart): page += "<figure class=\"chart\">" + chart.svg(language) + "</figure>"
                case .table(let table): page += Self.table(table, language)
                case .note(let note): page += "<p class=\"note\">" + note.text(language).markupEscaped + "</p>"
                }
            }
            page += "</section>"
        }
        page += "<footer>" + ReportText.footer.text(language).markupEscaped + "</footer></main></body></html>\n"
        return page
    }

    private func card(_ figure: HeadlineFigure, _ language: Language) -> String {
        var card = "<li class=\"figure\"><span class=\"label\">" + figure.label.text(language).markupEscaped + "</span>"
        card += "<span class=\"value\">" + figure.value.text(language).markupEscaped + "</span>"
        if !figure.parts.isEmpty {
            card += "<ul>"
            for part in figure.parts {
                card += "<li>" + part.label.text(language).markupEscaped + ": " + part.value.text(language).markupEscaped + "</li>"
            }
            card += "</ul>"
        }
        return card + "</li>"
    }

    static func table(_ table: ReportTable, _ language: Language) -> String {
        var html = "<div class=\"table\"><table><caption>" + table.caption.text(language).markupEscaped + "</caption><thead><tr>"
        for column in table.columns {
            html += "<th scope=\"col\"" + (column.numeric ? " class=\"num\"" : "") + ">" + column.title.text(language).markupEscaped + "</th>"
        }
        html += "</tr></thead><tbody>"
        if table.rows.isEmpty {
            html += "<tr><td colspan=\"\(max(1, table.columns.count))\">" + ReportText.noData.text(language).markupEscaped + "</td></tr>"
        }
        for row in table.rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                let numeric = table.columns.indices.contains(index) ? table.columns[index].numeric : cell.isNumeric
                html += "<td" + (numeric ? " class=\"num\"" : "") + ">" + cell.text(language).markupEscaped + "</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table></div>"
    }
}
