--[[
book.lua -- Pandoc Lua filter for the woven book (output of tools/nw2md).

 * ``` {.nwcode} blocks (one token per line, see tools/nw2md.c) become
     - HTML/EPUB: <pre class="nwcode"><code> built from Pandoc inlines
       (Spans for highlighting, Links for identifiers and chunk uses, so
       the EPUB writer can fix cross-file links);
     - LaTeX: an fvextra `nwcode` Verbatim environment with \nw.. macros
       (defined in tools/latex-header.tex);
     - anything else: a plain CodeBlock.
 * Chunk divs/headers/footers get LaTeX formatting and no-page-break hints.
 * Index divs (.nwindex) are set in two columns in LaTeX.
 * Images: fig/NAME.svg is replaced by fig/NAME.pdf for LaTeX output.
 * Appendices (level-1 headers of class "appendix") are numbered A, A.1, ...
 * HTML/EPUB: "RFC NNNN" in the text links to the RFC at the RFC Editor.
 * LaTeX: a span of class "zh" (Chinese text) prints its "pdf" attribute.
]]

local fmt = FORMAT or ''
local is_latex = fmt:match('latex') or fmt == 'beamer'
local is_html = fmt:match('html') or fmt:match('epub')

-- split a chunk name into pieces: {text=...} or {code=...} for [[...]]
local function name_pieces(s)
  local res, i = {}, 1
  while true do
    local a = s:find('[[', i, true)
    local b = a and s:find(']]', a + 2, true)
    if not b then
      if i <= #s then res[#res + 1] = { text = s:sub(i) } end
      return res
    end
    while s:sub(b + 2, b + 2) == ']' do b = b + 1 end
    if a > i then res[#res + 1] = { text = s:sub(i, a - 1) } end
    res[#res + 1] = { code = s:sub(a + 2, b - 1) }
    i = b + 2
  end
end

-- parse the token lines of a .nwcode block
local function tokens(text)
  local toks = {}
  for line in (text .. '\n'):gmatch('([^\n]*)\n') do
    local k = line:sub(1, 1)
    if k == 'n' then
      toks[#toks + 1] = { k = 'n' }
    elseif k == 'I' or k == 'D' then
      local cls, label, t = line:match('^.(.)(%S+) (.*)$')
      if cls then toks[#toks + 1] = { k = k, cls = cls, label = label, t = t } end
    elseif k == 'U' then
      local label, num, name = line:match('^U(%S+) (%S+) (.*)$')
      if label then
        toks[#toks + 1] = { k = 'U', label = label, num = num, name = name }
      end
    elseif k ~= '' then
      toks[#toks + 1] = { k = k, t = line:sub(2) }
    end
  end
  return toks
end

local function plain_text(toks)
  local out = {}
  for _, t in ipairs(toks) do
    if t.k == 'n' then out[#out + 1] = '\n'
    elseif t.k == 'U' then out[#out + 1] = '<<' .. t.name .. '>>'
    else out[#out + 1] = t.t end
  end
  return table.concat(out)
end

------------------------------------------------------------------ HTML

local cls_html = { k = 'kw', t = 'ty', c = 'co', s = 'st', d = 'nu', r = 'pp' }

local function html_code(toks)
  local il = { pandoc.RawInline('html', '<pre class="nwcode"><code>') }
  local function add(x) il[#il + 1] = x end
  for _, t in ipairs(toks) do
    local k = t.k
    if k == 'n' then
      add(pandoc.RawInline('html', '\n'))
    elseif k == 'p' then
      add(pandoc.Str(t.t))
    elseif cls_html[k] then
      add(pandoc.Span({ pandoc.Str(t.t) }, { class = cls_html[k] }))
    elseif k == 'I' then
      local c = 'nwid' .. (cls_html[t.cls] and (' ' .. cls_html[t.cls]) or '')
      add(pandoc.Link({ pandoc.Str(t.t) }, '#' .. t.label, '',
        pandoc.Attr('', { c })))
    elseif k == 'D' then
      local c = 'nwdef' .. (cls_html[t.cls] and (' ' .. cls_html[t.cls]) or '')
      add(pandoc.Span({ pandoc.Str(t.t) }, { class = c }))
    elseif k == 'U' then
      local name = {}
      for _, p in ipairs(name_pieces(t.name)) do
        if p.code then name[#name + 1] = pandoc.Code(p.code)
        else name[#name + 1] = pandoc.Str(p.text) end
      end
      local inner = { pandoc.Str('⟨') }
      if t.label ~= '-' then
        name[#name + 1] = pandoc.Span({ pandoc.Str(' ' .. t.num) }, { class = 'nwnum' })
        inner[#inner + 1] = pandoc.Link(name, '#' .. t.label, t.name)
      else
        for _, x in ipairs(name) do inner[#inner + 1] = x end
      end
      inner[#inner + 1] = pandoc.Str('⟩')
      add(pandoc.Span(inner, { class = t.label ~= '-' and 'nwuse' or 'nwuse nwundef' }))
    end
  end
  add(pandoc.RawInline('html', '</code></pre>'))
  return pandoc.Plain(il)
end

----------------------------------------------------------------- LaTeX

local cls_tex = { k = '\\nwK{', t = '\\nwT{', c = '\\nwC{', s = '\\nwS{',
                  d = '\\nwN{', r = '\\nwP{' }

-- escaping inside Verbatim with commandchars=\\\{\}
local vesc_map = { ['\\'] = '\\nwbs{}', ['{'] = '\\nwlb{}', ['}'] = '\\nwrb{}' }
local function vesc(s)
  return (s:gsub('[\\{}]', vesc_map))
end

local function wrap_cls(cls, s)
  local w = cls_tex[cls]
  if w then return w .. s .. '}' end
  return s
end

local function tex_code(toks)
  local out = { '\\begin{nwcodeblock}\n\\begin{nwcode}\n' }
  local function add(x) out[#out + 1] = x end
  for _, t in ipairs(toks) do
    local k = t.k
    if k == 'n' then
      add('\n')
    elseif k == 'p' then
      add(vesc(t.t))
    elseif cls_tex[k] then
      -- fvextra cannot break inside a macro argument except at spaces, so
      -- cut long runs of non-blanks into several macro calls
      local s = t.t
      if s:find('[^ ]' .. ('[^ ]'):rep(23)) then
        local pieces, cur, n = {}, {}, 0
        for ch in s:gmatch('[%z\1-\127\194-\244][\128-\191]*') do
          cur[#cur + 1] = ch
          n = (ch == ' ') and 0 or (n + 1)
          if n >= 12 then
            pieces[#pieces + 1] = table.concat(cur)
            cur, n = {}, 0
          end
        end
        pieces[#pieces + 1] = table.concat(cur)
        for _, p in ipairs(pieces) do
          if p ~= '' then add(cls_tex[k] .. vesc(p) .. '}') end
        end
      else
        add(cls_tex[k] .. vesc(s) .. '}')
      end
    elseif k == 'I' then
      add('\\nwI{' .. t.label .. '}{' .. wrap_cls(t.cls, vesc(t.t)) .. '}')
    elseif k == 'D' then
      add('\\nwD{' .. wrap_cls(t.cls, vesc(t.t)) .. '}')
    elseif k == 'U' then
      local name = {}
      for _, p in ipairs(name_pieces(t.name)) do
        if p.code then name[#name + 1] = '\\nwUcode{' .. vesc(p.code) .. '}'
        else name[#name + 1] = vesc(p.text) end
      end
      if t.label ~= '-' then
        add('\\nwU{' .. t.label .. '}{' .. t.num .. '}{' .. table.concat(name) .. '}')
      else
        add('\\nwUundef{' .. table.concat(name) .. '}')
      end
    end
  end
  add('\n\\end{nwcode}\n\\end{nwcodeblock}')
  return pandoc.RawBlock('latex', table.concat(out))
end

--------------------------------------------------------------- filters

-- ```{.include file="out/NAME.txt"}``` : the text of a file the build
-- made (a sample run of a program), looked up along the resource path,
-- shown as a plain code block.  A missing file is an error: every
-- number in the book comes from the build.
local function include_file(b)
  local name = b.attributes['file']
  if not name then error('include block without a file attribute') end
  for _, dir in ipairs(PANDOC_STATE.resource_path or { '.' }) do
    local f = io.open(dir .. '/' .. name, 'r')
    if f then
      local text = f:read('a'):gsub('\n$', '')
      f:close()
      -- ```{.include .markdown file=...}```: Markdown the build wrote (the
      -- tables of Appendix C), read and shown as if written in place
      if b.classes:includes('markdown') then
        return pandoc.read(text, 'markdown').blocks
      end
      if is_latex then
        -- long lines of program output wrap in the PDF, as code does
        return pandoc.RawBlock('latex', '\\begin{Verbatim}[breaklines,breakanywhere,'
          .. 'fontsize=\\small,breaksymbolleft={\\tiny\\ensuremath{\\hookrightarrow}}]\n'
          .. text .. '\n\\end{Verbatim}')
      end
      return pandoc.CodeBlock(text, { class = 'output' })
    end
  end
  error('include: cannot find ' .. name .. ' on the resource path')
end

local function CodeBlock(b)
  if b.classes:includes('include') then return include_file(b) end
  if not b.classes:includes('nwcode') then return nil end
  local toks = tokens(b.text)
  if is_html then return html_code(toks) end
  if is_latex then return tex_code(toks) end
  return pandoc.CodeBlock(plain_text(toks), { class = 'c' })
end

-- wrap the contents of a Span in LaTeX \cmd{...}
local function tex_wrap(cmd, inlines)
  local r = { pandoc.RawInline('latex', cmd .. '{') }
  for _, x in ipairs(inlines) do r[#r + 1] = x end
  r[#r + 1] = pandoc.RawInline('latex', '}')
  return r
end

local span_tex = { nwnum = '\\nwnumfmt', nwhdr = '\\nwhdrfmt',
                   nwnav = '\\nwnavfmt', nwfoot = '\\nwfootfmt' }

local function Span(s)
  if not is_latex then return nil end
  for _, c in ipairs(s.classes) do
    if span_tex[c] then return tex_wrap(span_tex[c], s.content) end
  end
  return nil
end

local function Div(d)
  if not is_latex then return nil end
  if d.classes:includes('nwchunk') then
    -- the header paragraph stays first so that Pandoc attaches the
    -- \hypertarget for the Div's id to it
    local bl = {}
    for i, b in ipairs(d.content) do
      if i > 1 then bl[#bl + 1] = pandoc.RawBlock('latex', '\\nwnobreak') end
      bl[#bl + 1] = b
    end
    d.content = bl
    return { pandoc.RawBlock('latex', '\\nwchunkstart'), d,
             pandoc.RawBlock('latex', '\\nwchunkend') }
  elseif d.classes:includes('nwindex') then
    local bl = { pandoc.RawBlock('latex', '\\begin{nwindexenv}') }
    for _, b in ipairs(d.content) do bl[#bl + 1] = b end
    bl[#bl + 1] = pandoc.RawBlock('latex', '\\end{nwindexenv}')
    d.content = bl
    return d
  end
  return nil
end

-- running heads for unnumbered chapters (\chapter* does not set them)
local tesc_map = { ['\\'] = '\\textbackslash{}', ['{'] = '\\{', ['}'] = '\\}',
  ['$'] = '\\$', ['&'] = '\\&', ['#'] = '\\#', ['%'] = '\\%', ['_'] = '\\_',
  ['~'] = '\\textasciitilde{}', ['^'] = '\\textasciicircum{}' }
local function Header(h)
  if is_latex and h.level == 1 and h.classes:includes('unnumbered') then
    local t = pandoc.utils.stringify(h.content):gsub('[\\{}$&#%%_~^]', tesc_map)
    return { h, pandoc.RawBlock('latex', '\\markboth{' .. t .. '}{' .. t .. '}') }
  end
  return nil
end

local function Image(img)
  if is_latex then
    local s = img.src
    if s:match('%.svg$') and not s:match('^%a+:') then
      img.src = s:gsub('%.svg$', '.pdf')
      return img
    end
  end
  return nil
end

------------------------------------------------------------ appendices

-- A level-1 header with class "appendix" begins an appendix: the first is
-- Appendix A, the next B.  Its sections are A.1, A.2, ..., their
-- subsections A.1.1, ...  Any other level-1 header (the sources, the
-- indexes) ends the appendices' numbering.
--  * LaTeX: \appendix before the first one, and the header numbered, so
--    that LaTeX letters the chapter and numbers its sections itself.
--  * HTML/EPUB: Pandoc would continue the last chapter's numbers (6.13,
--    ...), so the headers are marked unnumbered and given their numbers
--    here, in the span Pandoc itself uses for section numbers.
local function appendices(doc)
  local out, letters, letter, counts = {}, 0, nil, {}
  local function number(h, text)
    h.classes:insert('unnumbered')
    local c = h.content
    table.insert(c, 1, pandoc.Space())
    table.insert(c, 1, pandoc.Span({ pandoc.Str(text) },
      { class = 'header-section-number' }))
    h.content = c
  end
  for _, b in ipairs(doc.blocks) do
    if b.t == 'Header' and b.level == 1 then
      letter = nil
      if b.classes:includes('appendix') then
        letters = letters + 1
        letter = string.char(64 + letters)
        counts = {}
        if is_latex then
          if letters == 1 then out[#out + 1] = pandoc.RawBlock('latex', '\\appendix') end
          b.classes = b.classes:filter(function(c) return c ~= 'unnumbered' end)
        else
          number(b, 'Appendix ' .. letter)
        end
      end
    elseif b.t == 'Header' and letter and not is_latex
        and not b.classes:includes('unnumbered') then
      counts[b.level] = (counts[b.level] or 0) + 1
      for l = b.level + 1, 6 do counts[l] = nil end
      local n = { letter }
      for l = 2, b.level do n[#n + 1] = tostring(counts[l] or 0) end
      number(b, table.concat(n, '.'))
    end
    out[#out + 1] = b
  end
  doc.blocks = out
  return doc
end

------------------------------------------------------------ RFC links

-- In HTML and EPUB, "RFC 9293" in the text (also "(RFC 9293", "RFC
-- 9293's", the number on the next line) links to the RFC at the RFC
-- Editor; what follows the number ("§3.10.7.4", "'s") stays plain text.
-- Headers, links (chunk names, the indexes) and the chunks' own headers
-- are left alone.
local rfc_url = 'https://www.rfc-editor.org/rfc/rfc'
local function rfc_link(num)
  return pandoc.Link({ pandoc.Str('RFC'), pandoc.Space(), pandoc.Str(num) },
    rfc_url .. num, '', pandoc.Attr('', { 'rfc' }))
end
local function link_rfcs(inl)
  local out, i, n = {}, 1, #inl
  local changed = false
  while i <= n do
    local a, b, c = inl[i], inl[i + 1], inl[i + 2]
    local pre = a.t == 'Str' and a.text:match('^(%p*)RFC$')
    local num, rest
    if pre and b and (b.t == 'Space' or b.t == 'SoftBreak') and c and c.t == 'Str' then
      num, rest = c.text:match('^(%d%d%d+)(.*)$')
    end
    if num and not rest:match('^%d') then
      if pre ~= '' then out[#out + 1] = pandoc.Str(pre) end
      out[#out + 1] = rfc_link(num)
      if rest ~= '' then out[#out + 1] = pandoc.Str(rest) end
      i, changed = i + 3, true
    else
      out[#out + 1] = a
      i = i + 1
    end
  end
  if changed then return out end
  return nil
end
local nw_spans = { nwhdr = true, nwnav = true, nwfoot = true, nwuse = true }
local rfc_filter = {
  traverse = 'topdown',
  Header = function(h) return h, false end,
  Link = function(l) return l, false end,
  Span = function(s)
    for _, c in ipairs(s.classes) do
      if nw_spans[c] then return s, false end
    end
    return nil
  end,
  Div = function(d)
    -- the list of sources gives each RFC's address itself
    if d.classes:includes('nwindex') or d.identifier == 'refs' then
      return d, false
    end
    return nil
  end,
  Inlines = link_rfcs,
}

------------------------------------------------------- Chinese in LaTeX

-- pdflatex has no Chinese fonts here: a span of class "zh" (the seed
-- article's title in sources.yaml) prints its "pdf" attribute in the PDF
-- instead; elsewhere the attribute is dropped.
local function zh_span(s)
  if not s.classes:includes('zh') then return nil end
  if is_latex then
    return pandoc.Str('[' .. (s.attributes['pdf'] or 'in Chinese') .. ']')
  end
  s.attributes['pdf'] = nil
  return s
end

local filters = {
  { Pandoc = appendices },
  { CodeBlock = CodeBlock, Image = Image, Header = Header },
  { Span = zh_span },
  { Span = Span },
  { Div = Div },
}
if is_html then table.insert(filters, 1, rfc_filter) end
return filters
