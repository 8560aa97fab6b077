/* Tangled from chapters/09-sack.nw, chapters/10-timestamps.nw by tools/tangle: edit those, not this file. */
/* Selective acknowledgment: RFC 2018, RFC 2883, RFC 6675. */
#include "host.h"

static bool ooo_run_at(const struct tcb *t, uint32_t x, struct seq_range *r)
{
        for (const struct ooo_seg *q = t->ooo; q != NULL; q = q->next) {
                uint32_t s = q->seq, e = q->seq + q->len;
                while (q->next != NULL && q->next->seq == e) {
                        q = q->next;
                        e = q->seq + q->len;
                }
                if ((t->flags & TF_FIN_PENDING) && t->fin_seq == e)
                        e++;                     /* the FIN that follows the run is held
                                                    too */
                if (SEQ_LEQ(s, x) && SEQ_LT(x, e)) {
                        r->start = s;
                        r->end = e;
                        return true;
                }
                if (SEQ_GT(s, x))
                        break;
        }
        return false;
}

/* The blocks, newest first: the run holding `first` (if any), then the
 * runs that hold the blocks reported before, each once. */
static void sack_refresh(struct tcb *t, const uint32_t *first)
{
        struct seq_range list[TCP_MAX_SACK], r;
        int n = 0;
        for (int i = -1; i < t->nsack_rep && n < TCP_MAX_SACK; i++) {
                uint32_t x = i < 0 ? (first ? *first : 0) : t->sack_rep[i].start;
                if ((i < 0 && first == NULL) || !ooo_run_at(t, x, &r))
                        continue;
                bool seen = false;
                for (int k = 0; k < n; k++)
                        seen |= list[k].start == r.start;
                if (!seen)
                        list[n++] = r;
        }
        memcpy(t->sack_rep, list, sizeof list[0] * (size_t)n);
        t->nsack_rep = n;
}

void tcp_sack_arrived(struct tcb *t, uint32_t seq)
{
        sack_refresh(t, &seq);
}

bool tcp_sack_queued(const struct tcb *t, uint32_t seq, uint32_t len)
{
        struct seq_range held;
        return ooo_run_at(t, seq, &held) && SEQ_GEQ(held.end, seq + len);
}
int tcp_sack_blocks_max(const struct tcb *t)
{
        int n = TCP_MAX_SACK;
        (void)t;
        if (t->flags & TF_TS_OK)
                n = 3;
        return n;
}

void tcp_sack_fill(struct tcb *t, struct tcp_options *o)
{
        int max = tcp_sack_blocks_max(t), n = 0;
        if (t->dsack_pending && n < max) {
                o->sack[n].start = t->dsack.start;
                o->sack[n].end = t->dsack.end;
                n++;
                t->dsack_pending = false;
                t->host->stats.tcp.dsacks_sent++;
        }
        sack_refresh(t, NULL);
        for (int i = 0; i < t->nsack_rep && n < max; i++, n++) {
                o->sack[n].start = t->sack_rep[i].start;
                o->sack[n].end = t->sack_rep[i].end;
        }
        o->nsack = (uint8_t)n;
}
static void sb_trim(struct tcb *t, uint32_t below)
{
        int k = 0;
        for (int i = 0; i < t->nsb; i++) {
                struct seq_range r = t->sb[i];
                if (SEQ_LEQ(r.end, below))
                        continue;
                if (SEQ_LT(r.start, below))
                        r.start = below;
                t->sb[k++] = r;
        }
        t->nsb = k;
}

static void sb_add(struct tcb *t, uint32_t s, uint32_t e)
{
        if (t->sb == NULL)
                t->sb = xcalloc(TCP_SCOREBOARD_MAX, sizeof *t->sb);
        int i = 0;
        while (i < t->nsb && SEQ_LT(t->sb[i].end, s))
                i++;                         /* ranges wholly before, not touching */
        int j = i;
        while (j < t->nsb && SEQ_LEQ(t->sb[j].start, e)) {
                s = SEQ_MIN(s, t->sb[j].start);   /* overlapping or touching: merge */
                e = SEQ_MAX(e, t->sb[j].end);
                j++;
        }
        if (j == i && t->nsb == TCP_SCOREBOARD_MAX) {
                if (i == t->nsb)
                        return;                  /* full, and this is the highest */
                t->nsb--;                        /* forget the highest */
        }
        memmove(&t->sb[i + 1], &t->sb[j], sizeof *t->sb * (size_t)(t->nsb - j));
        t->sb[i].start = s;
        t->sb[i].end = e;
        t->nsb += 1 - (j - i);
}
static uint32_t sb_bytes(const struct tcb *t)
{
        uint32_t n = 0;
        for (int i = 0; i < t->nsb; i++)
                n += t->sb[i].end - t->sb[i].start;
        return n;
}

void tcp_sack_update(struct tcb *t, const struct segment *seg)
{
        struct tcp_stats *st = &t->host->stats.tcp;
        uint32_t ack = seg->ack, before = sb_bytes(t);
        for (int i = 0; i < seg->opt.nsack; i++) {
                uint32_t s = seg->opt.sack[i].start, e = seg->opt.sack[i].end;
                bool dsack = i == 0 && (SEQ_LEQ(e, ack) ||
                        (seg->opt.nsack > 1 && SEQ_GEQ(s, seg->opt.sack[1].start) &&
                         SEQ_LEQ(e, seg->opt.sack[1].end)));
                if (dsack) {
                        st->dsacks_received++;
                        if (t->high_rxt_set && SEQ_LT(s, t->high_rxt))
                                st->dsack_for_retransmissions++;
                        continue;
                }
                if (!SEQ_LT(s, e) || SEQ_LEQ(e, ack) || SEQ_GT(e, t->snd_nxt) ||
                    SEQ_LT(s, t->snd_una)) {
                        st->sack_blocks_ignored++;
                        continue;
                }
                sb_add(t, SEQ_MAX(s, ack), e);
        }
        t->sack_news = sb_bytes(t) > before;
        sb_trim(t, SEQ_MAX(ack, t->snd_una));
}
static uint32_t sb_lost_below(const struct tcb *t)
{
        uint32_t bytes = 0, threshold = (uint32_t)(t->host->cfg.dupthresh - 1) * t->snd_mss;
        int ranges = 0;
        for (int i = t->nsb - 1; i >= 0; i--) {
                bytes += t->sb[i].end - t->sb[i].start;
                ranges++;
                if (bytes > threshold || ranges >= t->host->cfg.dupthresh)
                        return t->sb[i].start;   /* every hole below this range is lost */
        }
        return t->snd_una;                   /* nothing is */
}

bool tcp_sack_is_lost(const struct tcb *t, uint32_t seq)
{
        return SEQ_LT(seq, sb_lost_below(t));
}

static bool sb_sacked(const struct tcb *t, uint32_t seq, uint32_t *end)
{
        for (int i = 0; i < t->nsb; i++)
                if (SEQ_LEQ(t->sb[i].start, seq) && SEQ_LT(seq, t->sb[i].end)) {
                        *end = t->sb[i].end;
                        return true;
                }
        return false;
}
uint32_t tcp_sack_pipe(const struct tcb *t)
{
        uint32_t lost = sb_lost_below(t), pipe = 0, at = t->snd_una;
        for (int i = 0; i <= t->nsb; i++) {
                uint32_t hole_end = i < t->nsb ? t->sb[i].start : t->snd_nxt;
                if (SEQ_LT(at, hole_end)) {          /* the hole [at, hole_end) */
                        if (SEQ_LT(SEQ_MAX(at, lost), hole_end))
                                pipe += hole_end - SEQ_MAX(at, lost);      /* not lost:
                                                                              in flight */
                        if (SEQ_LT(at, SEQ_MIN(hole_end, t->high_rxt)))
                                pipe += SEQ_MIN(hole_end, t->high_rxt) - at;   /* resent */
                }
                if (i < t->nsb)
                        at = t->sb[i].end;
        }
        return pipe;
}
/* The first byte at or above `from` that is not SACKed, and the end of
 * its hole; false if there is none below the highest SACKed byte. */
static bool sb_next_hole(const struct tcb *t, uint32_t from, uint32_t *at, uint32_t *end)
{
        if (t->nsb == 0)
                return false;
        uint32_t x = SEQ_MAX(from, t->snd_una), e;
        while (sb_sacked(t, x, &e))
                x = e;
        uint32_t top = t->sb[t->nsb - 1].end;
        if (!SEQ_LT(x, top))
                return false;
        *at = x;
        *end = top;
        for (int i = 0; i < t->nsb; i++)
                if (SEQ_GT(t->sb[i].start, x)) {
                        *end = t->sb[i].start;
                        break;
                }
        return true;
}

bool tcp_sack_recovery(const struct tcb *t)
{
        return (t->flags & TF_IN_RECOVERY) && (t->flags & TF_SACK_OK) &&
               !t->timeout_recovery;
}
enum sack_step tcp_sack_next_seg(struct tcb *t, struct seq_range *r, bool *rescue)
{
        uint32_t pipe = tcp_sack_pipe(t), at = 0, end = 0;
        *rescue = false;
        if (t->cwnd < pipe + t->snd_mss)
                return SACK_STOP;                    /* cwnd - pipe < 1 SMSS */
        bool hole = sb_next_hole(t, t->high_rxt, &at, &end);
        r->start = at;
        r->end = end;
        if (hole && tcp_sack_is_lost(t, at))
                return SACK_RETRANSMIT;              /* rule 1 */
        uint32_t flight = t->snd_nxt - t->snd_una;
        bool fin_owed = (t->flags & TF_FIN_QUEUED) && !(t->flags & TF_FIN_SENT);
        if ((t->sndq.len > flight || fin_owed) &&
            SEQ_LT(t->snd_nxt, t->snd_una + t->snd_wnd))
                return SACK_NEW_DATA;                /* rule 2 */
        if (hole)
                return SACK_RETRANSMIT;              /* rule 3 */
        if ((t->rescue_valid && !SEQ_GT(t->snd_una, t->rescue_rxt)) ||
            t->snd_una == t->snd_nxt)
                return SACK_STOP;
        uint32_t last = t->snd_nxt - ((t->flags & TF_FIN_SENT) ? 1 : 0);   /* rule 4 */
        if (!SEQ_LT(t->snd_una, last) || sb_sacked(t, last - 1, &end))
                return SACK_STOP;
        r->start = SEQ_MAX(t->snd_una, last - MIN(last - t->snd_una, (uint32_t)t->snd_mss));
        r->end = last;
        t->rescue_rxt = t->recover;
        t->rescue_valid = true;
        t->host->stats.tcp.rescue_retransmits++;
        *rescue = true;
        return SACK_RETRANSMIT;
}
bool tcp_sack_held(const struct tcb *t, uint32_t seq, uint32_t *end)
{
        return sb_sacked(t, seq, end);
}
