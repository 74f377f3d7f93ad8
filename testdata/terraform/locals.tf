# Policies kept in locals (a map of roles, used with for_each) are linted where they are
# written; other encoded locals are not policies and are left alone.
locals {
  roles = {
    trainer = {
      description = "training jobs"
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject"]
          Resource = ["arn:aws:s3:::ml-data"]
        }]
      })
    }
  }
  tags = jsonencode({ team = "ml" })
}

resource "aws_iam_role_policy" "each" {
  for_each = local.roles
  role     = aws_iam_role.each[each.key].id
  policy   = each.value.policy
}
