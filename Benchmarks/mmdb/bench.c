// libmaxminddb called directly: the same lookups and fields as VetterNetwork's MaxMindDatabase
// reads from a City database. Usage: bench-c DB ADDRESSES_FILE PASSES [string|sockaddr]
// string: MMDB_lookup_string (getaddrinfo, the usual call); sockaddr: inet_pton + MMDB_lookup_sockaddr
// (what the Swift wrapper does).
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s DB ADDRESSES PASSES\n", argv[0]); return 2; }
    MMDB_s db;
    if (MMDB_open(argv[1], MMDB_MODE_MMAP, &db) != MMDB_SUCCESS) { fprintf(stderr, "cannot open %s\n", argv[1]); return 1; }
    FILE *f = fopen(argv[2], "r");
    if (!f) { perror(argv[2]); return 1; }
    size_t cap = 1 << 20, n = 0; char **ips = malloc(cap * sizeof *ips); char line[128];
    while (fgets(line, sizeof line, f) && n < cap) { line[strcspn(line, "\n")] = 0; ips[n++] = strdup(line); }
    fclose(f);
    int passes = atoi(argv[3]);
    int use_sockaddr = argc > 4 && strcmp(argv[4], "sockaddr") == 0;
    const char *country[] = {"country", "iso_code", NULL}, *region[] = {"subdivisions", "0", "iso_code", NULL},
               *city[] = {"city", "names", "en", NULL}, *lat[] = {"location", "latitude", NULL},
               *lon[] = {"location", "longitude", NULL}, *tz[] = {"location", "time_zone", NULL};
    const char **paths[] = {country, region, city, lat, lon, tz};
    long found = 0, fields = 0; size_t checksum = 0;
    double start = now();
    for (int p = 0; p < passes; p++) {
        for (size_t i = 0; i < n; i++) {
            int gai, err;
            MMDB_lookup_result_s r;
            if (use_sockaddr) {
                struct sockaddr_storage ss; memset(&ss, 0, sizeof ss); gai = 0;
                if (strchr(ips[i], ':')) {
                    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss; a->sin6_family = AF_INET6;
                    if (inet_pton(AF_INET6, ips[i], &a->sin6_addr) != 1) continue;
                } else {
                    struct sockaddr_in *a = (struct sockaddr_in *)&ss; a->sin_family = AF_INET;
                    if (inet_pton(AF_INET, ips[i], &a->sin_addr) != 1) continue;
                }
                r = MMDB_lookup_sockaddr(&db, (struct sockaddr *)&ss, &err);
            } else {
                r = MMDB_lookup_string(&db, ips[i], &gai, &err);
            }
            if (gai || err != MMDB_SUCCESS || !r.found_entry) continue;
            found++;
            for (int k = 0; k < 6; k++) {
                MMDB_entry_data_s d;
                if (MMDB_aget_value(&r.entry, &d, paths[k]) == MMDB_SUCCESS && d.has_data) {
                    fields++;
                    if (d.type == MMDB_DATA_TYPE_UTF8_STRING) {
                        // Copy the string, as the Swift wrapper must (it is not NUL-terminated).
                        char *s = strndup(d.utf8_string, d.data_size); checksum += s[0]; free(s);
                    }
                }
            }
        }
    }
    double elapsed = now() - start;
    printf("C %-8s lookups=%zu found=%ld fields=%ld seconds=%.3f lookups_per_second=%.0f (checksum %zu)\n",
           use_sockaddr ? "sockaddr" : "string", n * passes, found, fields, elapsed, n * passes / elapsed, checksum);
    MMDB_close(&db);
    return 0;
}
