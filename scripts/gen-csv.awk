# gen-csv.awk: a parameter-sheet-like CSV of about `target` bytes, made up here
# (no vendor data): a title row, a header, then records over 10 MO classes and
# 5000 parameter names, every fifth with a quoted multi-line description.
# Usage: awk -v target=200000000 -f scripts/gen-csv.awk > big.csv
BEGIN {
  print "Parameter export for the RAN,,,,,"
  print "Model,MO Class Name,Parameter Name,Parameter Description,Data Type,Default Value"
  split("EUtranCellFDD EUtranCellTDD NRCellDU NRCellCU GNBDUFunction ENodeBFunction EUtranFreqRelation NRFreqRelation SectorCarrier Rcs", mo, " ")
  n = 0; bytes = 0
  while (bytes < target) {
    n++
    m = mo[(n % 10) + 1]; p = "param" (n % 5000)
    if (n % 5 == 0) desc = "\"Holds the value, in dB,\nused by the \"\"cell\"\" when " p " applies.\""
    else desc = "Holds the value used by the cell when " p " applies; see " m "." p "."
    line = "Lrat," m "," p "," desc ",int32," (n % 140)
    print line; bytes += length(line) + 1
  }
}
