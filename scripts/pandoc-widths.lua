-- pandoc-widths.lua: a pandoc filter for scripts/print-pdf.sh that sets the
-- column widths of every table from its cells, as a browser lays out a
-- table: each column as wide as its longest word at least, the rest of the
-- line shared by the square root of its longest cell's length. Without it pandoc sizes
-- the columns of a markdown pipe table by the dashes of its separator line,
-- which in ELEX documents leaves columns narrower than their words, the
-- text of one overprinted on the next.
function Table(tbl)
  local n = #tbl.colspecs
  local longest, word = {}, {}
  for i = 1, n do longest[i], word[i] = 1, 1 end
  local function measure(rows)
    for _, row in ipairs(rows) do
      for i, cell in ipairs(row.cells) do
        if i <= n then
          local text = pandoc.utils.stringify(cell.contents)
          longest[i] = math.max(longest[i], #text)
          for w in text:gmatch("%S+") do word[i] = math.max(word[i], #w) end
        end
      end
    end
  end
  measure(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do measure(body.body) end
  -- A line of the text holds about 90 characters: a column's share is
  -- its longest word's (and two for the padding) at least; the rest of the
  -- line goes to the columns by the square root of their longest cell.
  local need, rest, total = {}, 1, 0
  for i = 1, n do
    need[i] = (word[i] + 2) / 90
    rest = rest - need[i]
    total = total + math.sqrt(longest[i])
  end
  rest = math.max(rest, 0)
  local sum = 0
  for i = 1, n do
    need[i] = need[i] + rest * math.sqrt(longest[i]) / total
    sum = sum + need[i]
  end
  for i = 1, n do tbl.colspecs[i] = {tbl.colspecs[i][1], need[i] / sum} end
  return tbl
end
