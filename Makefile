# ranstream: the front door. `make help` lists the targets.
SHELL := /bin/bash
GO    ?= go
PKGS  := ./pkg/... ./streams/... ./services/...
BIN   := bin
CORPUS ?= ../shared/corpus
SERVICES := ranstream ingest detect extract chunk llm-extract quality-route
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo devel)
LDFLAGS  := -X github.com/ranstream/ranstream/pkg/app.buildVersion=$(VERSION)

.PHONY: help build run test test-race bench bench-go bench-bus bench-python bench-huge bench-formats scale eval eval-pdf eval-pdf-unseen eval-3gpp eval-sheets lint tidy clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

build: ## build every binary into bin/
	@mkdir -p $(BIN)
	@for s in $(SERVICES); do $(GO) build -ldflags '$(LDFLAGS)' -o $(BIN)/$$s ./services/$$s || exit 1; done

run: build ## run every stage on an embedded NATS server: watch ./inbox, results in ./out
	@mkdir -p inbox
	./$(BIN)/ranstream run --data data --inbox inbox --out out

test: ## run the tests (what CI runs)
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 20m $(PKGS)

test-race: ## run the tests with the race detector
	$(GO) test -count=1 -race -timeout 30m $(PKGS)

bench: bench-go bench-bus bench-huge bench-formats ## every benchmark: Go micro-benchmarks, bus overhead, one huge CSV, converters against mutool/docx2txt/antiword

bench-go: ## Go benchmarks of the stage logic
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

bench-bus: build ## ranstream process over corpus/elex, through the bus and without it (CPU user+sys, wall, docs/s, peak RSS, bus/direct ratios)
	scripts/bench-bus.sh $(BIN)/ranstream $(CORPUS)/elex

eval: build ## process the labelled ELEX documents and score them against corpus/elex-gold
	@rm -rf .eval && mkdir -p .eval/in
	@for f in $(CORPUS)/elex-gold/*.json; do cp "$(CORPUS)/elex/$$(basename $$f .json).md" .eval/in/; done
	./$(BIN)/ranstream process --log-level warn --out .eval/out .eval/in >/dev/null
	./$(BIN)/ranstream eval --gold $(CORPUS)/elex-gold .eval/out/extractions.jsonl

eval-pdf: build ## print the labelled ELEX documents as PDF (headless Chromium; LibreOffice, WeasyPrint, wkhtmltopdf, LaTeX when installed) and score each set against corpus/elex-gold, min F1 0.95 (skips without chromium)
	scripts/eval-pdf.sh $(BIN)/ranstream $(CORPUS)

eval-pdf-unseen: build ## print 40 ELEX documents outside elex-gold as PDF (the engines of eval-pdf) and score each print's extractions against their markdown's, min F1 0.95 (SEED=N another sample; skips without chromium)
	scripts/eval-pdf-unseen.sh $(BIN)/ranstream $(CORPUS) 40 0.95

SPECS3GPP := $(CORPUS)/3gpp/38331-i40.zip $(CORPUS)/3gpp/24301-j10.zip $(CORPUS)/3gpp/24301-i90.docx

eval-3gpp: ## recall of ASN.1 types, timers, measurement events, NAS messages and references on three 3GPP specs (skips without ../shared)
	@if [ ! -d $(CORPUS)/3gpp ]; then echo "eval-3gpp: $(CORPUS)/3gpp absent, skipped"; exit 0; fi; \
	$(MAKE) --no-print-directory build && rm -rf .eval3gpp && \
	./$(BIN)/ranstream process --log-level warn --out .eval3gpp $(SPECS3GPP) >/dev/null && \
	python3 scripts/eval-3gpp.py --min 0.95 .eval3gpp/extractions.jsonl $(SPECS3GPP)

bench-python: build ## ranstream process vs ../shared/tools/baseline_python.py on corpus/elex, side by side: times and ratio
	scripts/bench-python.sh $(BIN)/ranstream $(CORPUS)/elex

SHEETS := $(wildcard $(CORPUS)/ericsson/reference/*.csv)

eval-sheets: ## recall of the records of the reference parameter, counter, event, feature-state and alarm sheets (skips without ../shared)
	@if [ -z "$(SHEETS)" ]; then echo "eval-sheets: $(CORPUS)/ericsson/reference absent, skipped"; exit 0; fi; \
	$(MAKE) --no-print-directory build && rm -rf .evalsheets && \
	./$(BIN)/ranstream process --log-level warn --out .evalsheets $(SHEETS) >/dev/null && \
	python3 scripts/eval-sheets.py --min 0.99 .evalsheets/extractions.jsonl $(SHEETS)

bench-huge: build ## generated 20/50/200 MB CSVs end to end: time, chunks/s, peak RSS (memory must not grow with size)
	scripts/bench-huge.sh $(BIN)/ranstream

scale: build ## scale on paper: per-core throughput per format (ELEX markdown, 3GPP DOCX, PDF pages) and what follows for all of 3GPP on 16 cores and N nodes
	scripts/scale.sh $(BIN)/ranstream $(CORPUS)

bench-formats: ## PDF vs mutool, DOCX vs docx2txt, DOC vs antiword: speed ratio and word recall (apt-get install mupdf-tools docx2txt antiword)
	scripts/bench-pdf.sh $(CORPUS)
	scripts/bench-word.sh $(CORPUS)/3gpp

lint: ## go vet and gofmt
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l pkg streams services); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

tidy: ## tidy every module of the workspace
	@for m in pkg streams services; do (cd $$m && $(GO) mod tidy -e) || exit 1; done
	$(GO) work sync

clean: ## remove binaries and the local run's data
	rm -rf $(BIN) data out
