package textnorm_test

import (
	"fmt"

	"github.com/ranstream/ranstream/pkg/detect"
	"github.com/ranstream/ranstream/pkg/textnorm"
)

func Example() {
	// Word's "save as text": BOM, NBSP, 0x1E for a non-breaking hyphen, CRLF.
	raw := []byte("\xEF\xBB\xBFFAJ\xC2\xA0121\xC2\xA03051 on E\x1EUTRA\r\n\r\n\r\n\r\nnext  \r\n")
	res := detect.Detect("feature.txt", raw)
	text, err := textnorm.Decode(raw, res.Encoding)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %s %q\n", res.Format, res.Encoding, textnorm.Normalize(text))
	// Output:
	// text UTF-8 "FAJ 121 3051 on E-UTRA\n\nnext\n"
}
