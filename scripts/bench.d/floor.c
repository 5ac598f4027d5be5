/* The floor for slareport's speed: read each file with zlib's gzread (plain files pass
 * through) and parse it with libcsv, with callbacks that only count fields and records.
 * Single-threaded; the benchmark divides its time by the number of cores.
 *
 *   cc -O2 -o floor floor.c -lcsv -lz && ./floor a.csv.gz b.csv.gz
 */
#include <csv.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

struct counts { size_t fields, records; };

static void on_field(void *s, size_t len, void *data) {
    (void)s; (void)len;
    ((struct counts *)data)->fields++;
}

static void on_record(int c, void *data) {
    (void)c;
    ((struct counts *)data)->records++;
}

int main(int argc, char **argv) {
    static char buf[1 << 20];
    struct counts total = {0, 0};
    for (int i = 1; i < argc; i++) {
        gzFile g = gzopen(argv[i], "rb");
        if (!g) { perror(argv[i]); return 66; }
        gzbuffer(g, 1 << 17);
        struct csv_parser p;
        if (csv_init(&p, CSV_STRICT) != 0) return 70;
        size_t n = strlen(argv[i]);
        if ((n > 4 && strcmp(argv[i] + n - 4, ".tsv") == 0) || (n > 7 && strcmp(argv[i] + n - 7, ".tsv.gz") == 0))
            csv_set_delim(&p, '\t');
        int got;
        while ((got = gzread(g, buf, sizeof buf)) > 0) {
            if (csv_parse(&p, buf, (size_t)got, on_field, on_record, &total) != (size_t)got) {
                /* Strict errors: skip the rest of the chunk, as a reader that resyncs would. */
                csv_fini(&p, NULL, NULL, NULL);
            }
        }
        csv_fini(&p, on_field, on_record, &total);
        csv_free(&p);
        int err;
        gzerror(g, &err);
        if (got < 0 || err != Z_OK) { fprintf(stderr, "%s: gzip error\n", argv[i]); return 65; }
        gzclose(g);
    }
    printf("%zu records, %zu fields\n", total.records, total.fields);
    return 0;
}
