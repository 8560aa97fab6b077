/* The test network of testutil.h (from chapter 2 on). */
#include "testutil.h"
#include "ipv4.h"
#include "checksum.h"

struct testdev {
	struct netdev dev;
	struct testnet *tn;
};

static void testdev_send(struct netdev *dev, struct pkb *p)
{
	struct testnet *tn = ((struct testdev *)dev)->tn;
	p->next = NULL;
	if (tn->sent_tail != NULL)
		tn->sent_tail->next = p;
	else
		tn->sent_head = p;
	tn->sent_tail = p;
	tn->nsent++;
}

static void testdev_destroy(struct netdev *dev)
{
	free(dev);
}

static const struct netdev_ops testdev_ops = { testdev_send, testdev_destroy };

struct config testnet_config(void)
{
	struct config cfg;
	config_default(&cfg);
	cfg.addr = ADDR(10, 0, 0, 2);
#if CHAPTER >= 4
	cfg.transition_log = test_transition_log;
#endif
	return cfg;
}

void testnet_init(struct testnet *tn, const struct config *cfg)
{
	memset(tn, 0, sizeof *tn);
	loop_init(&tn->loop, CLOCK_VIRTUAL);
	tn->dev = xcalloc(1, sizeof *tn->dev);
	netdev_init(&tn->dev->dev, &testdev_ops, &tn->loop, "test0", 1500);
	tn->dev->tn = tn;
	tn->host = host_create(&tn->loop, &tn->dev->dev, cfg);
}

void testnet_inject(struct testnet *tn, const void *bytes, size_t len)
{
	struct pkb *p = pkb_from(bytes, len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	netdev_deliver(&tn->dev->dev, p);
	loop_run_for(&tn->loop, 0);
}

struct pkb *testnet_pop(struct testnet *tn)
{
	struct pkb *p = tn->sent_head;
	if (p != NULL) {
		tn->sent_head = p->next;
		if (tn->sent_head == NULL)
			tn->sent_tail = NULL;
		p->next = NULL;
	}
	return p;
}

void testnet_drain(struct testnet *tn)
{
	struct pkb *p;
	while ((p = testnet_pop(tn)) != NULL)
		pkb_free(p);
}

void testnet_free(struct testnet *tn)
{
	host_destroy(tn->host);
	testnet_drain(tn);
	loop_free(&tn->loop);
}

size_t build_ipv4(uint8_t *buf, uint32_t src, uint32_t dst, uint8_t proto,
		  const void *payload, size_t len)
{
	memset(buf, 0, IP_HDR_MIN);
	ip_set(buf, IP_VERSION, 4);
	ip_set(buf, IP_IHL, 5);
	ip_set(buf, IP_TOTAL_LENGTH, (uint32_t)(IP_HDR_MIN + len));
	ip_set(buf, IP_ID, 0x1234);
	ip_set(buf, IP_TTL, 64);
	ip_set(buf, IP_PROTOCOL, proto);
	ip_set(buf, IP_SRC, src);
	ip_set(buf, IP_DST, dst);
	ip_set(buf, IP_CHECKSUM, inet_checksum(buf, IP_HDR_MIN));
	if (len > 0)
		memcpy(buf + IP_HDR_MIN, payload, len);
	return IP_HDR_MIN + len;
}
