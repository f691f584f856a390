package textnorm_test

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"

	"github.com/ranstream/ranstream/pkg/detect"
	"github.com/ranstream/ranstream/pkg/textnorm"
)

// Sample texts in the languages of the legacy code pages, long enough for a
// statistical detector, as a user's documents would hold them.
const (
	french = "Le réseau d’accès radio « NR » fournit des débits élevés. La fonctionnalité " +
		"réduit la consommation d’énergie des cellules lorsque le trafic est faible ; " +
		"elle désactive certaines antennes et réactive les porteuses dès que la charge " +
		"dépasse le seuil configuré. Les paramètres sont décrits ci-dessous, à côté des " +
		"compteurs de performance associés. Coût estimé : 15 € par site et par année.\n"
	german = "Die Funktion „Zellensperre“ ermöglicht es dem Betreiber, eine Zelle schrittweise " +
		"außer Betrieb zu nehmen. Während der Sperre werden keine neuen Verbindungen " +
		"angenommen; bestehende Verbindungen werden übergeben. Die Größe des Zeitfensters " +
		"ist über einen Parameter einstellbar – für Wartungsarbeiten üblich.\n"
	russian = "Функция плавной блокировки соты позволяет оператору постепенно вывести соту " +
		"из эксплуатации. Во время блокировки новые соединения не принимаются, а " +
		"существующие абоненты передаются в соседние соты. Длительность окна задаётся " +
		"параметром, который описан в разделе настроек вместе со счётчиками производительности.\n"
	greek = "Η λειτουργία επιτρέπει στον φορέα να θέσει σταδιακά εκτός λειτουργίας μια κυψέλη. " +
		"Κατά τη διάρκεια του κλειδώματος δεν γίνονται δεκτές νέες συνδέσεις, ενώ οι " +
		"υπάρχοντες συνδρομητές μεταφέρονται σε γειτονικές κυψέλες. Η διάρκεια ορίζεται " +
		"από μια παράμετρο που περιγράφεται παρακάτω.\n"
	polish = "Naukowcy zauważyli, że zmiana rytmu snu w dni wolne od pracy prowadzi do " +
		"rozregulowania naszego zegara biologicznego. Funkcja pozwala operatorowi stopniowo " +
		"wyłączyć komórkę; podczas blokady nowe połączenia nie są przyjmowane, a istniejący " +
		"abonenci są przenoszeni do sąsiednich komórek. Długość okna określa parametr.\n"
	japanese_ = "セルソフトロック機能により、オペレータはセルを段階的に停止できます。" +
		"ロック中は新しい接続を受け付けず、既存の端末は隣接セルへハンドオーバーされます。" +
		"時間枠の長さはパラメータで設定します。詳細は以下の表を参照してください。\n"
	korean_ = "셀 소프트 잠금 기능을 사용하면 운영자가 셀을 단계적으로 서비스에서 제외할 수 있습니다. " +
		"잠금 중에는 새 연결을 받지 않으며 기존 단말은 인접 셀로 핸드오버됩니다. " +
		"시간 창의 길이는 매개변수로 설정하며 자세한 내용은 아래 표를 참조하십시오.\n"
	chinese = "小区软锁定功能允许运营商逐步将小区退出服务。在锁定期间不接受新的连接，" +
		"现有终端被切换到相邻小区。时间窗口的长度由参数设置，详细信息请参见下表中的说明。" +
		"该功能可以减少维护操作对用户的影响。\n"
	english = "1\n00:00:06,500 --> 00:00:09,000\nAbout 2 months ago I found myself on\n" +
		"the comment section of YouTube.\n\n2\n00:00:09,500 --> 00:00:12,000\n" +
		"Cell Soft Lock moves users away before the cell is locked.\n"
)

func TestDetectDecode_roundTrip(t *testing.T) {
	bom16 := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	tests := []struct {
		name   string
		file   string
		text   string
		enc    encoding.Encoding
		family []string // acceptable detected encodings
	}{
		{"windows-1252 french", "note.txt", french, charmap.Windows1252, []string{"windows-1252"}},
		{"windows-1252 german", "note.txt", german, charmap.Windows1252, []string{"windows-1252"}},
		{"iso-8859-1 german", "note.txt", strings.NewReplacer("„", "\"", "“", "\"", "–", "-").Replace(german),
			charmap.ISO8859_1, []string{"windows-1252", "ISO-8859-1"}},
		{"windows-1251 russian", "note.txt", russian, charmap.Windows1251, []string{"windows-1251"}},
		{"koi8-r russian", "note.txt", russian, charmap.KOI8R, []string{"KOI8-R"}},
		{"iso-8859-5 russian", "note.txt", russian, charmap.ISO8859_5, []string{"ISO-8859-5"}},
		{"iso-8859-7 greek", "note.txt", greek, charmap.ISO8859_7, []string{"ISO-8859-7", "windows-1253"}},
		{"iso-8859-2 polish", "note.txt", polish, charmap.ISO8859_2, []string{"ISO-8859-2"}},
		{"windows-1250 polish", "note.txt", polish, charmap.Windows1250, []string{"windows-1250"}},
		{"shift_jis japanese", "note.txt", japanese_, japanese.ShiftJIS, []string{"Shift_JIS"}},
		{"euc-jp japanese", "note.txt", japanese_, japanese.EUCJP, []string{"EUC-JP"}},
		{"iso-2022-jp japanese", "note.txt", japanese_, japanese.ISO2022JP, []string{"ISO-2022-JP"}},
		{"euc-kr korean", "note.txt", korean_, korean.EUCKR, []string{"EUC-KR"}},
		{"gbk chinese", "note.txt", chinese, simplifiedchinese.GBK, []string{"GB18030", "GBK"}},
		{"gb18030 chinese", "note.txt", chinese, simplifiedchinese.GB18030, []string{"GB18030"}},
		{"hz-gb-2312 chinese", "note.txt", chinese, simplifiedchinese.HZGB2312, []string{"HZ-GB-2312"}},
		{"utf-8", "note.txt", russian + chinese, unicode.UTF8, []string{"UTF-8"}},
		{"utf-8 with bom", "note.txt", german, unicode.UTF8BOM, []string{"UTF-8"}},
		{"utf-16le with bom, cjk", "note.txt", chinese, bom16, []string{"UTF-16LE"}},
		{"utf-16be with bom", "subs.srt", english, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), []string{"UTF-16BE"}},
		{"utf-16le without bom", "subs.srt", english, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), []string{"UTF-16LE"}},
		{"utf-16be without bom", "subs.srt", english, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), []string{"UTF-16BE"}},
		{"utf-32le with bom", "subs.srt", english + russian, utf32.UTF32(utf32.LittleEndian, utf32.UseBOM), []string{"UTF-32LE"}},
		{"utf-32be with bom", "subs.srt", english, utf32.UTF32(utf32.BigEndian, utf32.UseBOM), []string{"UTF-32BE"}},
		{"windows-1252 html without charset", "page.html", "<html><body><p>" + french + "</p></body></html>",
			charmap.Windows1252, []string{"windows-1252"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := tt.enc.NewEncoder().Bytes([]byte(tt.text))
			if err != nil {
				t.Fatalf("encode fixture: %v", err)
			}
			res := detect.Detect(tt.file, raw)
			if !res.IsText() {
				t.Fatalf("Detect = %+v, want text", res)
			}
			if !contains(tt.family, res.Encoding) {
				t.Errorf("Detect encoding = %s, want one of %v", res.Encoding, tt.family)
			}
			got, err := textnorm.Decode(raw, res.Encoding)
			if err != nil {
				t.Fatalf("Decode(%s): %v", res.Encoding, err)
			}
			if got != tt.text {
				t.Errorf("round trip through %s lost text:\n got %q\nwant %q", res.Encoding, got, tt.text)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
