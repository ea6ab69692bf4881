# Landscape Commons. `make run` serves the site with demo content; `make test` runs the suite.
# Both create the virtualenv from the lock file (uv.lock) on first use.

PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
NGINX ?= /usr/sbin/nginx
DEJAVU ?= /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
RALPH_VERSION := 5.1.0
RALPH := .tools/ralph/bin/ralph
VNU_VERSION := 26.9.27
VNU := .tools/vnu/vnu.jar
JAVA ?= /usr/bin/java
# The suite runs in parallel processes (pytest-xdist), a test file's tests together so a
# module's daphne, nginx or Chromium is started once, the transactional ones last, the longest
# units first (tests/conftest.py schedules them); each process gets its own test database,
# Redis database, cache folder and ports. On the embedded default the migrations run once per
# run (the first process to need a migrated database saves it; the others copy it), and the
# demo is seeded once per run and copied (tests/demo_snapshot.py). TEST_WORKERS=0 runs it in
# one process.
TEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test test-fast lint check lock messages chromium nginx fonts nginx-check ralph vnu clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

run: $(VENV)/.synced  ## set up, migrate, load demo content, serve HTTP + WebSockets on :8000
	$(VENV)/bin/python manage.py migrate --noinput
	$(VENV)/bin/python manage.py seed_demo
	$(VENV)/bin/python -m config.server -b $(HOST) -p $(PORT) config.asgi:application

test: $(VENV)/.synced chromium nginx fonts ralph vnu  ## the whole suite, browser, proxy and LRS tests included
	$(VENV)/bin/pytest $(PYTEST_PARALLEL)

test-fast: $(VENV)/.synced fonts ralph  ## everything but the browser tests
	$(VENV)/bin/pytest $(PYTEST_PARALLEL) -m "not browser"

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .

check: $(VENV)/.synced  ## lock in sync, lint, Django checks, no missing migrations
	$(UV) lock --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python manage.py check
	$(VENV)/bin/python manage.py makemigrations --check --dry-run

lock: $(UV)  ## after editing pyproject.toml
	$(UV) lock --python $(PYTHON)

messages: $(VENV)/.synced  ## refresh translation catalogues after changing strings
	$(VENV)/bin/python manage.py makemessages -l es -l fr -l pt --ignore=.venv --ignore=.tools \
		--ignore=var --ignore=tests --ignore=bench --ignore='*/migrations/*'
	$(VENV)/bin/python manage.py compilemessages --ignore=.venv --ignore=.tools

chromium:  ## the browser tests drive Debian's Chromium; install it when we can
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "The browser tests need Chromium at $(CHROMIUM): sudo apt-get install chromium" \
			     "(or set CHROMIUM=/path/to/chromium)."; exit 1; \
		fi; \
	fi

fonts:  ## the PDF certificates are set in Debian's DejaVu fonts; install them when we can
	@if [ ! -f "$(DEJAVU)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's DejaVu fonts for the PDF certificates..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null; \
		else \
			echo "The PDF certificates need Debian's DejaVu fonts: sudo apt-get install fonts-dejavu-core."; \
			exit 1; \
		fi; \
	fi

nginx:  ## the proxy test and bench/run --shape production drive Debian's nginx; install it when we can
	@if [ ! -x "$(NGINX)" ] || ! ls /etc/nginx/modules-enabled/*cache-purge* >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's nginx and its cache purge module..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				nginx libnginx-mod-http-cache-purge >/dev/null; \
		else \
			echo "The proxy test needs nginx with its cache purge module:" \
			     "sudo apt-get install nginx libnginx-mod-http-cache-purge"; exit 1; \
		fi; \
	fi

nginx-check: nginx  ## nginx -t on the shipped proxy config, rendered with throw-away paths
	@folder=$$(mktemp -d) && \
		$(PYTHON) deploy/nginx/render.py --folder "$$folder" --static "$$folder/static" \
			--media "$$folder/media" --check; status=$$?; rm -rf "$$folder"; exit $$status

ralph: $(RALPH)  ## the xAPI tests' Learning Record Store, in a virtualenv of its own

# ralph-malph's [lrs] extra pins FastAPI and its friends exactly: kept out of the site's lock.
# Its API imports requests (for OIDC) without the extra naming it.
$(RALPH):
	$(PYTHON) -m venv .tools/ralph
	.tools/ralph/bin/pip install --quiet "ralph-malph[lrs]==$(RALPH_VERSION)" requests

vnu: $(VNU)  ## the Nu HTML checker (npm's vnu-jar) the page walk validates every page type with
	@if [ ! -x "$(JAVA)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's Java runtime for the HTML checker..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
		else \
			echo "The HTML checker needs Java: sudo apt-get install default-jre-headless"; exit 1; \
		fi; \
	fi

$(VNU):
	@command -v npm >/dev/null || { echo "The HTML checker comes from npm's vnu-jar: install npm."; exit 1; }
	@folder=$$(mktemp -d) && cd "$$folder" && npm pack --silent "vnu-jar@$(VNU_VERSION)" >/dev/null && \
		tar -xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar && cd - >/dev/null && \
		mkdir -p $(dir $(VNU)) && mv "$$folder/package/build/dist/vnu.jar" $(VNU) && rm -rf "$$folder"

clean:
	rm -rf $(VENV) .tools var .pytest_cache .ruff_cache
