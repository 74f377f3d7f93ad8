# Values known only at apply time, in every position: no finding may come of them.
resource "aws_iam_policy" "unknowns" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = "${var.prefix}Read"
        Effect    = var.effect
        Action    = var.read_actions
        Resource  = [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*", "arn:${data.aws_partition.current.partition}:s3:::${var.bucket}/*"]
        Condition = {
          StringEquals = { "aws:SourceVpce" = var.vpce, "${var.tag_key}" = "x" }
          IpAddress    = { "aws:SourceIp" = var.cidrs }
          (var.op)     = { "aws:PrincipalOrgID" = var.org }
        }
      },
      {
        Effect    = "Allow"
        Action    = concat(["sagemaker:CreateTrainingJob"], local.extra_actions)
        Resource  = "arn:aws:sagemaker:${var.region}:${var.account}:training-job/${var.prefix}*"
        Condition = local.conditions
      },
      {
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = var.any_resource
      },
      local.more_statements,
    ], local.extra_statements)
  })
}

resource "aws_iam_policy" "statements" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.statements
  })
}

resource "aws_iam_policy" "heredoc_splice" {
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ${jsonencode(var.actions)},
      "Resource": ${jsonencode(var.resources)}
    },
    ${local.statement}
  ]
}
EOF
}

resource "aws_iam_policy" "from_variable" {
  policy = var.policy
}

resource "aws_iam_policy" "from_file" {
  policy = file("${path.module}/policy.json")
}

resource "aws_iam_policy" "from_template" {
  policy = templatefile("${path.module}/policy.json.tpl", { bucket = var.bucket })
}

resource "aws_iam_policy" "whole_reference" {
  policy = "${var.policy}"
}

resource "aws_iam_policy" "encoded_local" {
  policy = jsonencode(local.policy)
}

resource "aws_iam_policy" "directive" {
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [%{ for b in var.buckets ~}{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::${b}"},%{ endfor ~}]}
EOF
}

resource "aws_vpc_endpoint" "no_policy" {
  vpc_id       = var.vpc_id
  service_name = "com.amazonaws.us-east-1.s3"
  policy       = ""
}
