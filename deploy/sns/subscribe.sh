#!/usr/bin/env bash
# Subscribe Responder to an SNS topic and point CloudWatch alarms at that topic. No secrets are involved: SNS
# deliveries are authenticated by their signature, which Responder verifies.
#
# Before running:
#   - Responder must be reachable from SNS at $ENDPOINT over HTTPS with a publicly trusted certificate (SNS does
#     not accept self-signed ones): put it behind your load balancer or Ingress with a real certificate.
#   - Its configuration must allow the topic, or the subscription confirmation is refused with 403. For the topic
#     created below:
#
#       sns:
#         allowed_regions: [us-east-1]
#         allowed_topic_arns: [arn:aws:sns:us-east-1:123456789012:responder-alarms]
#
#     (or RESPONDER_SNS_ALLOWED_REGIONS=us-east-1 RESPONDER_SNS_ALLOWED_TOPIC_ARNS=arn:aws:sns:...:responder-alarms;
#     arn:aws:sns:<region>:<account>:* allows every topic of an account).
#
# Usage: REGION=us-east-1 TOPIC=responder-alarms ENDPOINT=https://responder.example.com/hooks/sns \
#            ALARMS="api-cpu-high worker-queue-depth-high" deploy/sns/subscribe.sh
# The AWS CLI uses your usual credentials (AWS_PROFILE, environment, SSO); it needs sns:CreateTopic, sns:Subscribe,
# cloudwatch:DescribeAlarms and cloudwatch:PutMetricAlarm.
set -euo pipefail

REGION="${REGION:-us-east-1}"
TOPIC="${TOPIC:-responder-alarms}"
ENDPOINT="${ENDPOINT:-https://responder.example.com/hooks/sns}"
ALARMS="${ALARMS:-}"

# 1. The topic (create-topic is idempotent and prints the ARN).
TOPIC_ARN="$(aws sns create-topic --region "$REGION" --name "$TOPIC" --query TopicArn --output text)"
echo "topic: $TOPIC_ARN"

# 2. Subscribe Responder. SNS then POSTs a SubscriptionConfirmation to $ENDPOINT; Responder verifies its signature,
#    records it and confirms it by visiting its SubscribeURL. The subscription shows as confirmed a moment later:
#      aws sns list-subscriptions-by-topic --region "$REGION" --topic-arn "$TOPIC_ARN"
aws sns subscribe --region "$REGION" --topic-arn "$TOPIC_ARN" \
    --protocol https --notification-endpoint "$ENDPOINT" \
    --attributes '{"RawMessageDelivery":"false"}'

# 3. Point CloudWatch alarms at the topic, for ALARM (firing) and OK (resolved: starts step-down ladders).
#    put-metric-alarm replaces the whole alarm, so each existing alarm's definition is read back first; for a new
#    alarm, give the full definition instead, e.g.:
#
#      aws cloudwatch put-metric-alarm --region "$REGION" --alarm-name api-cpu-high \
#          --namespace AWS/ECS --metric-name CPUUtilization --statistic Average --period 60 \
#          --evaluation-periods 3 --threshold 80 --comparison-operator GreaterThanThreshold \
#          --dimensions Name=ClusterName,Value=prod Name=ServiceName,Value=api \
#          --alarm-actions "$TOPIC_ARN" --ok-actions "$TOPIC_ARN"
for alarm in $ALARMS; do
    definition="$(aws cloudwatch describe-alarms --region "$REGION" --alarm-names "$alarm" \
        --query 'MetricAlarms[0]' --output json)"
    if [ "$definition" = "null" ]; then
        echo "no metric alarm named $alarm in $REGION (composite alarms: aws cloudwatch put-composite-alarm" \
             "... --alarm-actions $TOPIC_ARN --ok-actions $TOPIC_ARN)" >&2
        exit 1
    fi
    # Keep the definition (minus the read-only fields) and add the topic to both action lists.
    input="$(mktemp)"
    python3 - "$definition" "$TOPIC_ARN" > "$input" <<'PY'
import json, sys
alarm, topic = json.loads(sys.argv[1]), sys.argv[2]
keep = ["AlarmName", "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions",
        "InsufficientDataActions", "MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions",
        "Period", "Unit", "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ComparisonOperator",
        "TreatMissingData", "EvaluateLowSampleCountPercentile", "Metrics", "ThresholdMetricId"]
out = {k: alarm[k] for k in keep if alarm.get(k) not in (None, [], "")}
for key in ("AlarmActions", "OKActions"):
    out[key] = sorted(set(out.get(key, [])) | {topic})
print(json.dumps(out))
PY
    aws cloudwatch put-metric-alarm --region "$REGION" --cli-input-json "file://$input"
    rm -f "$input"
    echo "alarm $alarm: --alarm-actions and --ok-actions include $TOPIC_ARN"
done
