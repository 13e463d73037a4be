# gatewarden as a container image, for scheduled runs (docs/nightly.md#kubernetes):
#   docker build -t gatewarden .
#   docker run --rm -v "$PWD:/data" gatewarden scan . --history history.db   (/data writable by uid 10001)
# The build stage compiles dist/ (TypeScript is a dev dependency); the image holds the production
# dependencies only, and runs as a user without privileges.
FROM node:20-slim AS build
WORKDIR /build
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin bin
COPY src src
COPY providers providers
# Only TypeScript is needed here: no install scripts (better-sqlite3 is built in the image below).
RUN npm ci --ignore-scripts --no-audit --no-fund && npm run build

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /opt/gatewarden
COPY package.json package-lock.json ./
# --ignore-scripts: the package's own prepare script builds dist/, which comes from the build stage;
# better-sqlite3 (the history store) then gets its native binary with its own install script: a
# prebuilt one when it can be downloaded; without network access to GitHub, install python3, make
# and g++ first (apt-get) so that it compiles (README.md, npm ci).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && npm cache clean --force \
 && ln -s /opt/gatewarden/bin/gatewarden.js /usr/local/bin/gatewarden
COPY bin bin
COPY policies policies
COPY docs docs
COPY --from=build /build/dist dist
RUN useradd --uid 10001 --create-home --shell /usr/sbin/nologin gatewarden \
 && mkdir /data && chown gatewarden /data
USER 10001
WORKDIR /data
ENTRYPOINT ["gatewarden"]
CMD ["--help"]
