// Package logging builds the zap logger every component receives, and adapts it
// for watermill.
package logging

import (
	"fmt"
	"os"

	"github.com/ThreeDotsLabs/watermill"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"golang.org/x/term"
)

// Config selects the log level and encoding.
type Config struct {
	// Level is debug, info, warn or error. Default info.
	Level string
	// JSON forces JSON lines; otherwise a terminal gets console output and
	// anything else JSON.
	JSON bool
}

// New builds a logger writing to stderr.
func New(cfg Config) (*zap.Logger, error) {
	lvl := zapcore.InfoLevel
	if cfg.Level != "" {
		if err := lvl.Set(cfg.Level); err != nil {
			return nil, fmt.Errorf("log level %q: %w", cfg.Level, err)
		}
	}
	encCfg := zap.NewProductionEncoderConfig()
	encCfg.EncodeTime = zapcore.ISO8601TimeEncoder
	var enc zapcore.Encoder
	if !cfg.JSON && term.IsTerminal(int(os.Stderr.Fd())) {
		encCfg.EncodeLevel = zapcore.CapitalColorLevelEncoder
		enc = zapcore.NewConsoleEncoder(encCfg)
	} else {
		enc = zapcore.NewJSONEncoder(encCfg)
	}
	core := zapcore.NewCore(enc, zapcore.Lock(os.Stderr), lvl)
	return zap.New(core), nil
}

// Watermill adapts z for watermill. Watermill logs every message at Info; those
// become Debug here so that Info stays for decisions, as our logs promise.
func Watermill(z *zap.Logger) watermill.LoggerAdapter {
	return wmLogger{z: z.WithOptions(zap.AddCallerSkip(1))}
}

type wmLogger struct{ z *zap.Logger }

func fields(f watermill.LogFields) []zap.Field {
	out := make([]zap.Field, 0, len(f))
	for k, v := range f {
		out = append(out, zap.Any(k, v))
	}
	return out
}

func (l wmLogger) Error(msg string, err error, f watermill.LogFields) {
	l.z.Error(msg, append(fields(f), zap.Error(err))...)
}
func (l wmLogger) Info(msg string, f watermill.LogFields)  { l.z.Debug(msg, fields(f)...) }
func (l wmLogger) Debug(msg string, f watermill.LogFields) { l.z.Debug(msg, fields(f)...) }
func (l wmLogger) Trace(msg string, f watermill.LogFields) {}
func (l wmLogger) With(f watermill.LogFields) watermill.LoggerAdapter {
	return wmLogger{z: l.z.With(fields(f)...)}
}
