#!/bin/sh
# The compose proxy's start: fill the shipped template with envsubst, naming the variables so
# nginx's own $variables are left alone (as the official image's /etc/nginx/templates step
# does), then run nginx in the foreground as the container's main process.
set -eu
envsubst '${LISTEN} ${APP_UPSTREAM} ${WS_UPSTREAM} ${STATIC_ROOT} ${MEDIA_ROOT} ${CACHE_PATH} ${PURGE_ALLOW}' \
    < /etc/nginx/templates/landscape.conf.template > /etc/nginx/conf.d/landscape.conf
mkdir -p "$CACHE_PATH"
exec nginx -g 'daemon off;'
